SELECT x::timestamp with time zone, TIMESTAMPTZ '2026-01-01', INTERVAL '1' DAY TO SECOND, y::double precision FETCH FIRST 3 ROWS ONLY;
