// orbitd through Debian's PostgreSQL JDBC driver (pgjdbc), unchanged: SCRAM
// login, the driver's start-up queries, DatabaseMetaData, PreparedStatement
// parameters of many types in text and (after the prepare threshold) binary
// format, batches, transactions, savepoints and 40001 serialization failures.
// The expectations are PostgreSQL's: the program passes against a
// PostgreSQL 15 server too (but for the wrong-password check on a trust
// cluster).  Run as a single-file program (no build step):
//   java -cp /usr/share/java/postgresql.jar OrbitJdbcTest.java PORT USER PASSWORD
import java.math.BigDecimal;
import java.sql.*;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.*;

public class OrbitJdbcTest {
  static int passed = 0, failed = 0;

  static void check(String what, Object expected, Object got) {
    boolean same = expected instanceof byte[] && got instanceof byte[]
        ? Arrays.equals((byte[]) expected, (byte[]) got) : Objects.equals(expected, got);
    if (same) {
      passed++;
      System.out.println("ok: " + what);
    } else {
      failed++;
      System.out.println("FAIL: " + what + "\n--- expected\n" + show(expected) + "\n--- got\n" + show(got));
    }
  }

  static String show(Object o) {
    return o instanceof byte[] ? Arrays.toString((byte[]) o) : String.valueOf(o);
  }

  // Runs one check whose body may throw: an exception is a failure, not an abort.
  interface Body { void run() throws Exception; }
  static void section(String what, Body b) {
    try {
      b.run();
    } catch (Exception e) {
      failed++;
      String state = e instanceof SQLException ? " [" + ((SQLException) e).getSQLState() + "]" : "";
      System.out.println("FAIL: " + what + ": " + e + state);
    }
  }

  static String sqlState(Body b) {
    try {
      b.run();
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    } catch (Exception e) {
      return e.toString();
    }
  }

  static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    while (rs.next()) out.add(rs.getString(name));
    rs.close();
    return out;
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/orbit";
    String user = args[1], password = args[2];

    check("wrong password refused with 28P01", "28P01",
        sqlState(() -> DriverManager.getConnection(url, user, password + "x").close()));

    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    Connection c = DriverManager.getConnection(url, props);
    check("SCRAM-SHA-256 login and the driver's start-up queries", true, c.isValid(5));

    DatabaseMetaData md = c.getMetaData();
    check("database product name", "PostgreSQL", md.getDatabaseProductName());
    check("server major version is a number", true, md.getDatabaseMajorVersion() >= 9);
    check("user name", user, md.getUserName());
    section("ParameterStatus after SET (application_name through setClientInfo)", () -> {
      c.setClientInfo("ApplicationName", "orbit-jdbc-test");
      check("getClientInfo reads the reported application_name", "orbit-jdbc-test", c.getClientInfo("ApplicationName"));
      check("SHOW application_name", "orbit-jdbc-test", show(c, "application_name"));
    });

    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS everything");
      s.execute("DROP TABLE IF EXISTS accounts");
      s.execute("CREATE TABLE everything (id INTEGER PRIMARY KEY, big BIGINT, s TEXT, v VARCHAR(20),"
          + " n NUMERIC(10,2), d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, ok BOOLEAN, bin BYTEA, u UUID, f DOUBLE PRECISION)");
      s.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance BIGINT NOT NULL)");
      s.execute("INSERT INTO accounts VALUES (1, 100), (2, 100)");
    }

    section("DatabaseMetaData.getTables", () -> {
      check("getTables finds the table", List.of("everything"),
          column(md.getTables(null, null, "everything", new String[] {"TABLE"}), "TABLE_NAME"));
    });
    // getColumns: the driver's query numbers the columns with
    // row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), so a
    // dropped column leaves no gap in ORDINAL_POSITION.
    section("DatabaseMetaData.getColumns", () -> {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS colinfo");
        s.execute("CREATE TABLE colinfo (id INTEGER PRIMARY KEY, gone INTEGER, name VARCHAR(30) NOT NULL DEFAULT 'x',"
            + " qty BIGINT DEFAULT 7, price NUMERIC(10,2), at TIMESTAMPTZ, ok BOOLEAN DEFAULT true, note TEXT DEFAULT 'a''b')");
        s.execute("ALTER TABLE colinfo DROP COLUMN gone");
      }
      List<String> names = new ArrayList<>(), types = new ArrayList<>(), nullable = new ArrayList<>(),
          defaults = new ArrayList<>(), sizes = new ArrayList<>();
      List<Integer> sqlTypes = new ArrayList<>(), ordinals = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "public", "colinfo", null)) {
        while (rs.next()) {
          names.add(rs.getString("COLUMN_NAME"));
          types.add(rs.getString("TYPE_NAME"));
          sqlTypes.add(rs.getInt("DATA_TYPE"));
          nullable.add(rs.getString("IS_NULLABLE") + "/" + rs.getInt("NULLABLE"));
          defaults.add(rs.getString("COLUMN_DEF"));
          ordinals.add(rs.getInt("ORDINAL_POSITION"));
          sizes.add(rs.getString("COLUMN_SIZE") + "," + rs.getString("DECIMAL_DIGITS"));
        }
      }
      check("getColumns: names in order", List.of("id", "name", "qty", "price", "at", "ok", "note"), names);
      check("getColumns: TYPE_NAME", List.of("int4", "varchar", "int8", "numeric", "timestamptz", "bool", "text"), types);
      check("getColumns: DATA_TYPE (java.sql.Types)", List.of(Types.INTEGER, Types.VARCHAR, Types.BIGINT, Types.NUMERIC,
          Types.TIMESTAMP, Types.BIT, Types.VARCHAR), sqlTypes);
      check("getColumns: IS_NULLABLE / NULLABLE", List.of("NO/0", "NO/0", "YES/1", "YES/1", "YES/1", "YES/1", "YES/1"), nullable);
      check("getColumns: COLUMN_DEF", Arrays.asList(null, "'x'::character varying", "7", null, null, "true", "'a''b'::text"),
          defaults);
      check("getColumns: ORDINAL_POSITION without the dropped column's gap", List.of(1, 2, 3, 4, 5, 6, 7), ordinals);
      check("getColumns: COLUMN_SIZE, DECIMAL_DIGITS", List.of("10,0", "30,0", "19,0", "10,2", "35,6", "1,0", "2147483647,0"),
          sizes);
      check("getColumns with a column pattern", List.of("note"), column(md.getColumns(null, null, "colinfo", "no%"), "COLUMN_NAME"));
      check("getColumns of every table numbers each table's columns from 1",
          true, column(md.getColumns(null, "public", "%", "id"), "ORDINAL_POSITION").stream().allMatch("1"::equals));
    });
    // A window frame's offset and lag's offset as parameters of a statement
    // the server prepares once and runs with each set of values.
    section("window functions with parameters, prepared on the server", () -> {
      String q = "SELECT sum(g) OVER (ORDER BY g ROWS BETWEEN ? PRECEDING AND CURRENT ROW), lag(g, ?) OVER (ORDER BY g)"
          + " FROM generate_series(1, 5) g ORDER BY g";
      try (PreparedStatement ps = c.prepareStatement(q)) {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        List<String> got = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
          ps.setInt(1, k);
          ps.setInt(2, k);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) got.add(rs.getString(1) + "/" + rs.getString(2));
          }
        }
        check("ROWS n PRECEDING and lag(g, n) for n = 1, 2",
            List.of("1/null", "3/1", "5/2", "7/3", "9/4", "1/null", "3/null", "6/1", "9/2", "12/3"), got);
      }
    });
    section("DatabaseMetaData: schemas, catalogs, types, foreign keys", () -> {
      check("getSchemas", List.of("information_schema", "pg_catalog", "public"), column(md.getSchemas(), "TABLE_SCHEM"));
      check("getCatalogs", List.of("orbit"), column(md.getCatalogs(), "TABLE_CAT"));
      check("getTypeInfo lists int4", true, column(md.getTypeInfo(), "TYPE_NAME").contains("int4"));
      check("getImportedKeys (Orbit has no foreign keys)", List.of(), column(md.getImportedKeys(null, null, "everything"), "FK_NAME"));
      check("getSchema", "public", c.getSchema());
    });

    section("query timeout and cancel", () -> {
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(1);
        check("setQueryTimeout(1) stops a long query with 57014", "57014",
            sqlState(() -> s.executeQuery("SELECT count(*) FROM generate_series(1, 2000000000)")));
        s.setQueryTimeout(0);
        check("the connection works after the cancel", 1, count(c, "SELECT 1"));
      }
    });

    // Rows written through parameters, read back through a statement that
    // the driver prepares on the server after its first use (threshold 1),
    // which switches its results to binary transfer.
    UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff, 39, 92};
    LocalDateTime ts = LocalDateTime.of(2026, 3, 4, 5, 6, 7, 123456000);
    OffsetDateTime tz = OffsetDateTime.of(2026, 3, 4, 5, 6, 7, 0, ZoneOffset.ofHours(2));
    String insert = "INSERT INTO everything (id, big, s, v, n, d, ts, tz, ok, bin, u, f) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    section("PreparedStatement parameters of every type", () -> {
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        for (int i = 1; i <= 3; i++) {
          ps.setInt(1, i);
          ps.setLong(2, 9_000_000_000L + i);
          ps.setString(3, "text 'quoted' " + i);
          ps.setString(4, "varchar " + i);
          ps.setBigDecimal(5, new BigDecimal("1234.5" + i));
          ps.setObject(6, LocalDate.of(2026, 1, i));
          ps.setObject(7, ts);
          ps.setObject(8, tz);
          ps.setBoolean(9, i % 2 == 1);
          ps.setBytes(10, bytes);
          ps.setObject(11, uuid);
          ps.setDouble(12, i + 0.25);
          check("insert row " + i + " (update count)", 1, ps.executeUpdate());
        }
        ps.setInt(1, 4);
        for (int k = 2; k <= 12; k++) ps.setNull(k, Types.NULL);
        check("insert a row of NULLs", 1, ps.executeUpdate());
      }
    });

    section("results in text and binary format", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, big, s, v, n, d, ts, tz, ok, bin, u, f FROM everything WHERE id = ?")) {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        for (int round = 1; round <= 3; round++) {
          String r = " (round " + round + ")";
          ps.setInt(1, 2);
          try (ResultSet rs = ps.executeQuery()) {
            check("one row" + r, true, rs.next());
            check("int" + r, 2, rs.getInt("id"));
            check("bigint" + r, 9_000_000_002L, rs.getLong("big"));
            check("text" + r, "text 'quoted' 2", rs.getString("s"));
            check("varchar" + r, "varchar 2", rs.getString("v"));
            check("numeric" + r, new BigDecimal("1234.52"), rs.getBigDecimal("n"));
            check("date" + r, LocalDate.of(2026, 1, 2), rs.getObject("d", LocalDate.class));
            check("timestamp" + r, ts, rs.getObject("ts", LocalDateTime.class));
            check("timestamptz" + r, tz.toInstant(), rs.getObject("tz", OffsetDateTime.class).toInstant());
            check("boolean" + r, false, rs.getBoolean("ok"));
            check("bytea" + r, bytes, rs.getBytes("bin"));
            check("uuid" + r, uuid, rs.getObject("u"));
            check("double" + r, 2.25, rs.getDouble("f"));
            ResultSetMetaData m = rs.getMetaData();
            check("result column types" + r, "int4 int8 text varchar numeric date timestamp timestamptz bool bytea uuid float8",
                typeNames(m));
            check("varchar(20) and numeric(10,2) modifiers" + r, "20 10 2", m.getPrecision(4) + " " + m.getPrecision(5) + " " + m.getScale(5));
            check("no second row" + r, false, rs.next());
          }
          ps.setInt(1, 4);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            boolean allNull = true;
            for (int k = 2; k <= 12; k++) {
              rs.getObject(k);
              allNull &= rs.wasNull();
            }
            check("NULLs read back" + r, true, allNull);
          }
        }
      }
    });

    section("parameter types the server infers", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM everything WHERE v = ? AND n > ? AND d <= ? AND u = ? AND ok = ?")) {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        ParameterMetaData pm = ps.getParameterMetaData();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= pm.getParameterCount(); i++) sb.append(i > 1 ? " " : "").append(pm.getParameterTypeName(i));
        check("ParameterDescription (a varchar column compared as text, as PostgreSQL does)",
            "text numeric date uuid bool", sb.toString());
        for (int round = 1; round <= 2; round++) {
          ps.setString(1, "varchar 1");
          ps.setBigDecimal(2, new BigDecimal("1000"));
          ps.setObject(3, LocalDate.of(2026, 12, 31));
          ps.setObject(4, uuid);
          ps.setBoolean(5, true);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            check("typed parameters in a WHERE clause (round " + round + ")", 1L, rs.getLong(1));
          }
        }
      }
    });

    section("batch inserts", () -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO everything (id, s) VALUES (?, ?)")) {
        for (int i = 100; i < 200; i++) {
          ps.setInt(1, i);
          ps.setString(2, "batch " + i);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        check("executeBatch update counts", 100, Arrays.stream(counts).sum());
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), min(s), max(s) FROM everything WHERE id >= 100")) {
        rs.next();
        check("batch rows stored", "100 batch 100 batch 199", rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
    });

    section("more types: smallint, real, time, interval, arrays", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT ?::smallint, ?::real, ?::time, ?::interval, ?::int[], ?::text[]")) {
        ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        for (int round = 1; round <= 2; round++) {
          ps.setShort(1, (short) -7);
          ps.setFloat(2, 1.5f);
          ps.setObject(3, java.time.LocalTime.of(13, 14, 15));
          ps.setObject(4, new org.postgresql.util.PGInterval("1 day 02:03:04"));
          ps.setArray(5, c.createArrayOf("int4", new Integer[] {1, null, 3}));
          ps.setArray(6, c.createArrayOf("text", new String[] {"a", "b c", "\"q\""}));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            String r = " (round " + round + ")";
            check("smallint" + r, (short) -7, rs.getShort(1));
            check("real" + r, 1.5f, rs.getFloat(2));
            check("time" + r, java.time.LocalTime.of(13, 14, 15), rs.getObject(3, java.time.LocalTime.class));
            check("interval" + r, new org.postgresql.util.PGInterval("1 day 02:03:04"), rs.getObject(4));
            check("int[]" + r, Arrays.asList(1, null, 3), Arrays.asList((Integer[]) rs.getArray(5).getArray()));
            check("text[]" + r, Arrays.asList("a", "b c", "\"q\""), Arrays.asList((String[]) rs.getArray(6).getArray()));
          }
        }
      }
    });

    section("fetch size (portal suspended and resumed), max rows", () -> {
      c.setAutoCommit(false);   // the driver fetches in batches only inside a transaction
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM everything WHERE id >= ? ORDER BY id")) {
        ps.setFetchSize(7);
        ps.setInt(1, 100);
        int n = 0;
        long sum = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            n++;
            sum += rs.getInt(1);
          }
        }
        check("all rows read in batches of 7", "100 14950", n + " " + sum);
        ps.setMaxRows(5);
        try (ResultSet rs = ps.executeQuery()) {
          n = 0;
          while (rs.next()) n++;
        }
        check("setMaxRows(5)", 5, n);
      }
      c.commit();
      c.setAutoCommit(true);
    });

    section("autocommit off: rollback and commit", () -> {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO everything (id) VALUES (500)");
        c.rollback();
        check("rolled back row is gone", 0, count(c, "SELECT count(*) FROM everything WHERE id = 500"));
        s.executeUpdate("INSERT INTO everything (id) VALUES (501)");
        c.commit();
      }
      c.setAutoCommit(true);
      try (Connection other = DriverManager.getConnection(url, props)) {
        check("committed row seen by another connection", 1, count(other, "SELECT count(*) FROM everything WHERE id = 501"));
      }
    });

    section("savepoints", () -> {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO everything (id) VALUES (600)");
        Savepoint sp = c.setSavepoint("before_601");
        s.executeUpdate("INSERT INTO everything (id) VALUES (601)");
        c.rollback(sp);
        Savepoint sp2 = c.setSavepoint();   // unnamed: the driver names it
        s.executeUpdate("INSERT INTO everything (id) VALUES (602)");
        c.releaseSavepoint(sp2);
        check("duplicate key inside a transaction is 23505", "23505",
            sqlState(() -> s.executeUpdate("INSERT INTO everything (id) VALUES (600)")));
        c.rollback();
        s.executeUpdate("INSERT INTO everything (id) VALUES (600)");
        Savepoint sp3 = c.setSavepoint();
        check("error after a savepoint", "23505", sqlState(() -> s.executeUpdate("INSERT INTO everything (id) VALUES (600)")));
        c.rollback(sp3);   // the transaction goes on after ROLLBACK TO
        s.executeUpdate("INSERT INTO everything (id) VALUES (602)");
        c.commit();
      }
      c.setAutoCommit(true);
      check("rows kept after savepoints", List.of("600", "602"),
          column(c.createStatement().executeQuery("SELECT id FROM everything WHERE id BETWEEN 600 AND 699 ORDER BY id"), "id"));
    });

    section("read-only connections", () -> {
      c.setReadOnly(true);
      c.setAutoCommit(false);   // the driver begins each transaction READ ONLY
      check("reads in a read-only transaction", 1, count(c, "SELECT count(*) FROM everything WHERE id = 501"));
      check("a write is 25006", "25006", sqlState(() -> c.createStatement().executeUpdate("DELETE FROM everything")));
      c.rollback();
      c.setAutoCommit(true);
      c.setReadOnly(false);
      check("rows still there", 1, count(c, "SELECT count(*) FROM everything WHERE id = 501"));
    });

    section("write-write conflict surfaces as SQLState 40001", () -> {
      try (Connection a = DriverManager.getConnection(url, props); Connection b = DriverManager.getConnection(url, props)) {
        a.setAutoCommit(false);
        b.setAutoCommit(false);
        b.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        check("isolation level reported", Connection.TRANSACTION_REPEATABLE_READ, b.getTransactionIsolation());
        check("b's snapshot", 100, count(b, "SELECT balance FROM accounts WHERE id = 1"));
        a.createStatement().executeUpdate("UPDATE accounts SET balance = balance - 10 WHERE id = 1");
        a.commit();
        String state = sqlState(() -> {
          b.createStatement().executeUpdate("UPDATE accounts SET balance = balance + 10 WHERE id = 1");
          b.commit();
        });
        check("later writer gets 40001", "40001", state);
        b.rollback();
        // a retry in a new transaction succeeds
        b.createStatement().executeUpdate("UPDATE accounts SET balance = balance + 10 WHERE id = 1");
        b.commit();
        check("balance after retry", 100, count(a, "SELECT balance FROM accounts WHERE id = 1"));
        a.commit();
      }
    });

    section("getGeneratedKeys (pgjdbc appends RETURNING)", () -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE gen (id INT PRIMARY KEY, name TEXT, made INT DEFAULT 42)");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO gen (id, name) VALUES (?, ?)",
                                                     Statement.RETURN_GENERATED_KEYS)) {
        ps.setInt(1, 1);
        ps.setString(2, "one");
        check("update count of the insert", 1, ps.executeUpdate());
        try (ResultSet k = ps.getGeneratedKeys()) {
          check("a key row", true, k.next());
          check("key id", 1, k.getInt("id"));
          check("default filled in", 42, k.getInt("made"));
          check("one key row only", false, k.next());
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE gen SET made = made + 1 WHERE id = ?", new String[] {"made"})) {
        ps.setInt(1, 1);
        check("update count of the update", 1, ps.executeUpdate());
        try (ResultSet k = ps.getGeneratedKeys()) {
          check("updated row", true, k.next());
          check("new value", 43, k.getInt(1));
          check("one column", 1, k.getMetaData().getColumnCount());
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DELETE FROM gen RETURNING id, name")) {
        check("deleted row", true, rs.next());
        check("deleted name", "one", rs.getString("name"));
      }
      check("table empty", 0, count(c, "SELECT count(*) FROM gen"));
    });

    section("errors carry SQLState and position", () -> {
      check("syntax error", "42601", sqlState(() -> c.createStatement().execute("SELEC 1")));
      check("missing table", "42P01", sqlState(() -> c.createStatement().execute("SELECT * FROM nowhere")));
      check("connection usable after errors", 1, count(c, "SELECT 1"));
    });

    keysAndIndexes(c);
    callableAndVoid(c);

    c.close();
    System.out.println(passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  static String typeNames(ResultSetMetaData m) throws SQLException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= m.getColumnCount(); i++) sb.append(i > 1 ? " " : "").append(m.getColumnTypeName(i));
    return sb.toString();
  }

  static String show(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  // getPrimaryKeys, getIndexInfo and getBestRowIdentifier: the driver's queries
  // use information_schema._pg_expandarray(i.indkey) in a select list and
  // field selection on its records; answers as PostgreSQL 15 gives them.
  static void keysAndIndexes(Connection c) {
    section("DatabaseMetaData: primary keys, indexes, best row identifier", () -> {
      DatabaseMetaData md = c.getMetaData();
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS jdbc_pk2");
        s.execute("DROP TABLE IF EXISTS jdbc_pk1");
        s.execute("DROP TABLE IF EXISTS jdbc_nokey");
        s.execute("CREATE TABLE jdbc_nokey (c int)");
        s.execute("CREATE TABLE jdbc_pk1 (id int PRIMARY KEY, name text)");
        s.execute("CREATE TABLE jdbc_pk2 (b int, a text, c int, PRIMARY KEY (a, b))");
      }
      List<String> rows = new ArrayList<>();
      for (String t : List.of("jdbc_pk1", "jdbc_pk2"))
        try (ResultSet rs = md.getPrimaryKeys(null, "public", t)) {
          while (rs.next())
            rows.add(rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME") + " " + rs.getShort("KEY_SEQ")
                + " " + rs.getString("PK_NAME"));
        }
      check("getPrimaryKeys: key columns in key order, KEY_SEQ, PK_NAME",
          List.of("jdbc_pk1.id 1 jdbc_pk1_pkey", "jdbc_pk2.a 1 jdbc_pk2_pkey", "jdbc_pk2.b 2 jdbc_pk2_pkey"), rows);
      check("getPrimaryKeys of a table without a key", List.of(), column(md.getPrimaryKeys(null, null, "jdbc_nokey"), "PK_NAME"));
      rows.clear();
      try (ResultSet rs = md.getIndexInfo(null, "public", "jdbc_pk2", false, false)) {
        while (rs.next())
          rows.add(rs.getString("INDEX_NAME") + " " + rs.getBoolean("NON_UNIQUE") + " " + rs.getShort("TYPE") + " "
              + rs.getShort("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " " + rs.getString("ASC_OR_DESC")
              + " " + rs.getLong("CARDINALITY") + " " + rs.getLong("PAGES") + " " + rs.getString("FILTER_CONDITION"));
      }
      check("getIndexInfo: the primary key index, its columns in order",
          List.of("jdbc_pk2_pkey false 3 1 a A 0 1 null", "jdbc_pk2_pkey false 3 2 b A 0 1 null"), rows);
      check("getIndexInfo unique only", List.of("a", "b"),
          column(md.getIndexInfo(null, null, "jdbc_pk2", true, true), "COLUMN_NAME"));
      rows.clear();
      try (ResultSet rs = md.getBestRowIdentifier(null, "public", "jdbc_pk2", DatabaseMetaData.bestRowSession, false)) {
        while (rs.next())
          rows.add(rs.getString("COLUMN_NAME") + " " + rs.getInt("DATA_TYPE") + " " + rs.getString("TYPE_NAME") + " "
              + rs.getShort("SCOPE"));
      }
      check("getBestRowIdentifier: the primary key's columns", List.of("b 4 int4 2", "a 12 text 2"), rows);
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT (information_schema._pg_expandarray(ARRAY[30,10])).n, "
               + "information_schema._pg_expandarray(ARRAY[30,10])::text, unnest(ARRAY['a','b','c'])")) {
        rows.clear();
        while (rs.next()) rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
      check("set-returning functions in a select list run in lockstep",
          List.of("1 (30,1) a", "2 (10,2) b", "null null c"), rows);
    });
    // CONCUR_UPDATABLE: the driver finds the table and columns from the
    // RowDescription (table OID, attnum), the key by its getPrimaryKeys query
    section("updatable ResultSet: updateRow, insertRow, deleteRow", () -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO jdbc_pk1 VALUES (1, 'a'), (2, 'b')");
      }
      try (Statement u = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
           ResultSet rs = u.executeQuery("SELECT id, name FROM jdbc_pk1 ORDER BY id")) {
        check("result set is updatable", ResultSet.CONCUR_UPDATABLE, rs.getConcurrency());
        rs.next();
        rs.updateString("name", "A");
        rs.updateRow();
        rs.moveToInsertRow();
        rs.updateInt("id", 3);
        rs.updateString("name", "c");
        rs.insertRow();
        rs.moveToCurrentRow();
        rs.absolute(2);
        rs.deleteRow();
      }
      List<String> rows = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM jdbc_pk1 ORDER BY id")) {
        while (rs.next()) rows.add(rs.getInt(1) + " " + rs.getString(2));
      }
      check("rows after updateRow, insertRow and deleteRow", List.of("1 A", "3 c"), rows);
    });
  }

  // {? = call f(?)}: pgjdbc runs "select * from f($1,$2) as result" with the
  // OUT parameter $1 declared void (OID 2278), which the server leaves out of
  // the call as PostgreSQL does; pg_sleep returns void, whose text is "".
  static void callableAndVoid(Connection c) {
    section("CallableStatement and functions returning void", () -> {
      try (CallableStatement cs = c.prepareCall("{? = call upper(?)}")) {
        cs.registerOutParameter(1, Types.VARCHAR);
        cs.setString(2, "abc");
        cs.execute();
        check("{? = call upper(?)}", "ABC", cs.getString(1));
      }
      try (CallableStatement cs = c.prepareCall("{? = call pg_sleep(?)}")) {
        cs.registerOutParameter(1, Types.OTHER);
        cs.setDouble(2, 0.01);
        cs.execute();
        check("{? = call pg_sleep(?)} returns void", "", String.valueOf(cs.getObject(1)));
      }
      try (CallableStatement cs = c.prepareCall("{call pg_sleep(?)}")) {
        cs.setDouble(1, 0.01);
        cs.execute();
        check("{call pg_sleep(?)}", false, cs.getMoreResults());
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_sleep(0)")) {
        rs.next();
        check("void column: type name and value", "void ", rs.getMetaData().getColumnTypeName(1) + " " + rs.getString(1));
      }
    });
  }

  static int count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
