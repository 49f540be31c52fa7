-- Settings and transactions, run by psql on orbitd and on PostgreSQL 15
-- (describe_test.sh compares the output): SET LOCAL, savepoints undoing
-- SETs, RESET / RESET ALL / SET TO DEFAULT, pg_settings.source, warnings.
SET search_path = public;   -- PostgreSQL's default is "$user", public
SET LOCAL statement_timeout = '5s';
SHOW statement_timeout;
BEGIN;
SET LOCAL statement_timeout = '7s';
SHOW statement_timeout;
SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout';
COMMIT;
SHOW statement_timeout;
SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout';
SET statement_timeout = '9s';
SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout';
-- ROLLBACK TO undoes SET and SET LOCAL made after the savepoint
BEGIN;
SAVEPOINT a;
SET statement_timeout = '11s';
SET LOCAL search_path = inner_path;
SHOW statement_timeout;
ROLLBACK TO a;
SHOW statement_timeout;
SHOW search_path;
SET statement_timeout = '12s';
SAVEPOINT b;
SET LOCAL statement_timeout = '13s';
RELEASE b;
SHOW statement_timeout;
COMMIT;
SHOW statement_timeout;
-- RESET, and RESET inside blocks that commit or roll back
RESET statement_timeout;
SHOW statement_timeout;
SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout';
BEGIN;
SET statement_timeout = '15s';
ROLLBACK;
SHOW statement_timeout;
SET statement_timeout = '16s';
BEGIN;
RESET statement_timeout;
SHOW statement_timeout;
ROLLBACK;
SHOW statement_timeout;
BEGIN;
RESET statement_timeout;
COMMIT;
SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout';
SET statement_timeout = '17s';
SET extra_float_digits = 2;
SET my.custom = 'x';
RESET ALL;
SHOW statement_timeout;
SHOW extra_float_digits;
SELECT current_setting('my.custom');
SELECT name, setting, source FROM pg_settings WHERE name IN ('statement_timeout', 'extra_float_digits') ORDER BY name;
SET SESSION statement_timeout = '18s';
SET statement_timeout TO DEFAULT;
SHOW statement_timeout;
SET statement_timeout = DEFAULT;
-- set_config(..., true) is SET LOCAL
SELECT set_config('statement_timeout', '19s', true);
SHOW statement_timeout;
BEGIN;
SELECT set_config('statement_timeout', '20s', true);
SAVEPOINT c;
SELECT set_config('statement_timeout', '21s', false);
ROLLBACK TO SAVEPOINT c;
SHOW statement_timeout;
SAVEPOINT d;
SET statement_timeout = '22s';
SELECT * FROM nowhere;
ROLLBACK TO d;
SHOW statement_timeout;
SET statement_timeout = '23s';
COMMIT;
SHOW statement_timeout;
-- a failed block's SETs are undone
BEGIN;
SET statement_timeout = '24s';
SELECT * FROM nowhere;
COMMIT;
SHOW statement_timeout;
-- warnings PostgreSQL gives for transaction control out of place
BEGIN ISOLATION LEVEL REPEATABLE READ;
BEGIN;
SHOW TRANSACTION ISOLATION LEVEL;
COMMIT;
COMMIT;
ROLLBACK;
BEGIN ISOLATION LEVEL READ COMMITTED;
SHOW TRANSACTION ISOLATION LEVEL;
ROLLBACK;
