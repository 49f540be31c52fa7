# Convenience wrapper around CMake (the build itself is CMakeLists.txt).
#   make            build into build/ (RelWithDebInfo)
#   make test       ./test.sh --quick: gcc build, all tests, PostgreSQL oracle
#   make check      ./test.sh: the whole suite, also under ASan/UBSan, plus fuzz runs
#   make install    install into PREFIX (default /usr/local)
#   make bench      build and run the benchmark programs
#   make clean
PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all test check install bench clean

all:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

test:
	./test.sh --quick

check:
	./test.sh

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: all
	$(BUILD)/bench_hot
	bench/bench_pgbench.sh $(BUILD)/orbitd

clean:
	rm -rf $(BUILD) build-asan
