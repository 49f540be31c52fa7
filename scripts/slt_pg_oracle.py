#!/usr/bin/env python3
"""Check tests/sql/*.test expectations against a real PostgreSQL server.

The SQL logic tests encode PostgreSQL's behaviour; this script runs the same
records through psql against a throwaway PostgreSQL database and reports every
record where PostgreSQL disagrees with the expected result, so that the
expectations are PostgreSQL's, not ours.  The records of a file run in one
psql session, in order (transaction blocks and settings carry over, as in
the runner).  Records marked `onlyif orbit` are skipped (OrbitQL-only syntax
such as SHOW TABLES / DESCRIBE); `restart` is a no-op here.

usage: scripts/slt_pg_oracle.py --host H --port P FILE.test...
"""
import argparse, subprocess, sys

END = "__orbit_oracle_end__"

class Session:
    """One psql process fed record by record; errors ("ERROR:  ...", on the
    same stream) are told from result rows by their prefix."""
    def __init__(self, args, db):
        cmd = ["psql", "-X", "-A", "-t", "-F", "\t", "-P", "null=\x01NULL\x01", "-q",
               "-h", args.host, "-p", str(args.port), "-U", args.user, "-d", db]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, bufsize=1)

    def run(self, sql):
        sql = sql.rstrip()
        if not sql.endswith(";"):
            sql += "\n\\g"   # run it as written: an added ';' would change syntax errors
        self.p.stdin.write(sql + "\n\\echo " + END + "\n")
        self.p.stdin.flush()
        lines = []
        while True:
            line = self.p.stdout.readline()
            if line == "" or line.rstrip("\n") == END:
                break
            lines.append(line.rstrip("\n"))
        text = "\n".join(lines)
        if any(l.startswith("psql:<stdin>:") or l.startswith("ERROR:  ") for l in lines):
            return 1, "", text
        return 0, text, ""

    def close(self):
        self.p.stdin.close()
        self.p.wait()

def psql(args, db, sql):
    cmd = ["psql", "-X", "-A", "-t", "-F", "\t", "-P", "null=\x01NULL\x01", "-v", "ON_ERROR_STOP=1",
           "-h", args.host, "-p", str(args.port), "-U", args.user, "-d", db, "-q", "-c", sql]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr

def norm_rows(out):
    rows = []
    for line in out.split("\n"):
        if line == "":
            continue
        vals = ["NULL" if v == "\x01NULL\x01" else ("(empty)" if v == "" else v) for v in line.split("\t")]
        rows.append("\t".join(vals))
    return rows

def records(path):
    lines = open(path).read().split("\n")
    i, cond = 0, None
    while i < len(lines):
        line = lines[i]; i += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("onlyif") or line.startswith("skipif"):
            cond = line; continue
        start = i
        if line in ("restart", "halt"):
            yield (line, None, None, None, start, cond); cond = None; continue
        sql, expect, dashes = [], [], False
        while i < len(lines) and lines[i] != "":
            if lines[i] == "----" and not dashes:
                dashes = True
            elif dashes:
                expect.append(lines[i])
            else:
                sql.append(lines[i])
            i += 1
        yield (line, "\n".join(sql), expect, dashes, start, cond)
        cond = None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="/tmp"); ap.add_argument("--port", default=5432)
    ap.add_argument("--user", default="postgres"); ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    bad = 0
    for path in args.files:
        db = "slt_oracle"
        psql(args, "postgres", f"DROP DATABASE IF EXISTS {db}")
        psql(args, "postgres", f"CREATE DATABASE {db}")
        sess = Session(args, db)
        for kind, sql, expect, dashes, line, cond in records(path):
            if kind == "halt": break
            if kind == "restart" or (cond and cond.startswith("onlyif") and "postgres" not in cond) \
               or (cond and cond.startswith("skipif") and "postgres" in cond):
                continue
            rc, out, err = sess.run(sql)
            where = f"{path}:{line}"
            if kind.startswith("statement ok") and rc != 0:
                bad += 1; print(f"{where}: PostgreSQL failed: {err.strip()}")
            elif kind.startswith("statement error"):
                want = kind[len("statement error"):].strip() or "\n".join(expect)
                if rc == 0:
                    bad += 1; print(f"{where}: PostgreSQL succeeded where an error is expected")
                elif want and want not in err:
                    bad += 1; print(f"{where}: PostgreSQL error differs:\n  want: {want}\n  got:  {err.strip()}")
            elif kind.startswith("query"):
                if rc != 0:
                    bad += 1; print(f"{where}: PostgreSQL failed: {err.strip()}"); continue
                got = norm_rows(out)
                exp = list(expect)
                if "rowsort" in kind:
                    got.sort(); exp.sort()
                if "valuesort" in kind:
                    got = sorted(v for r in got for v in r.split("\t")); exp = sorted(v for r in exp for v in r.split("\t"))
                if got != exp:
                    bad += 1
                    print(f"{where}: PostgreSQL result differs\n  sql: {sql}\n  want: {exp}\n  got:  {got}")
        sess.close()
        psql(args, "postgres", f"DROP DATABASE IF EXISTS {db}")
    print(f"{bad} disagreement(s)")
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
