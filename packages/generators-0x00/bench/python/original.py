#!/usr/bin/env python3
"""The ALX originals, for the benchmark: stream_users() and stream_user_ages() as generators over a dict cursor.

usage: original.py sqlite <file> {users|ages} <sql>
       original.py mysql <host> <port> <user> <password> <database> {users|ages} <sql>
Prints one JSON line: {"rows": n, "seconds": s, "checksum": sum of ages}.
SQLite uses Debian's python3 `sqlite3` module (dict rows built once per row from the column names);
MySQL uses python3-mysqldb's server-side SSDictCursor (rows streamed, not buffered)."""
import json
import sys
import time


def connect():
    if sys.argv[1] == 'sqlite':
        import sqlite3
        return sqlite3.connect(sys.argv[2]), sys.argv[3:]
    import MySQLdb
    import MySQLdb.cursors
    host, port, user, password, database = sys.argv[2:7]
    conn = MySQLdb.connect(host=host, port=int(port), user=user, passwd=password, db=database,
                           cursorclass=MySQLdb.cursors.SSDictCursor)
    return conn, sys.argv[7:]


def stream_rows(sql):
    """One dict per row, fetched lazily from an open cursor (the original's single loop with yield)."""
    connection, _ = connect()
    cursor = connection.cursor()
    cursor.execute(sql)
    if sys.argv[1] == 'sqlite':
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(columns, row))
    else:
        for row in cursor:
            yield row
    cursor.close()
    connection.close()


def stream_users(sql):
    for user in stream_rows(sql):
        yield user


def stream_user_ages(sql):
    for row in stream_rows(sql):
        yield row['age']


def main():
    mode, sql = (sys.argv[3], sys.argv[4]) if sys.argv[1] == 'sqlite' else (sys.argv[7], sys.argv[8])
    started = time.perf_counter()
    rows = 0
    total = 0
    if mode == 'users':
        for user in stream_users(sql):
            rows += 1
            total += user['age']
    else:
        # calculate_average_age: a running sum and count over the generator, never SQL AVG
        for age in stream_user_ages(sql):
            rows += 1
            total += age
    seconds = time.perf_counter() - started
    print(json.dumps({'rows': rows, 'seconds': seconds, 'checksum': float(total)}))


if __name__ == '__main__':
    main()
