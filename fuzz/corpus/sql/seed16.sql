SELECT position('a' IN s), substring(s FROM 2 FOR 3), trim(LEADING 'x' FROM s), a IS NOT DISTINCT FROM b, c NOTNULL FROM t;
