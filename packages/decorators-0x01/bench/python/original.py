#!/usr/bin/env python3
"""The ALX originals of python-decorators-0x01, stacked, for the benchmark.

usage: original.py <sqlite file> <users> <calls>
Times `calls` calls of get_user_by_id(user_id) wrapped, as the course writes them, in
@retry_on_failure(retries=3, delay=1) @with_db_connection @log_queries @cache_query @transactional,
with ids cycling through 1..users and the cache emptied when they come round, so every call misses (the
course keys its cache on the query alone, which would answer every id with the first id's row, so here the
key is the query and the parameters, as ours is). log_queries prints a timestamped line, as the newer
template does, into /dev/null. After a warm-up of `calls` calls, prints one JSON line: {"us_per_call": µs}.
"""
import functools
import json
import os
import sqlite3
import sys
import time
from datetime import datetime

DB = sys.argv[1]
USERS = int(sys.argv[2])
CALLS = int(sys.argv[3])
SINK = open(os.devnull, 'w')


def log_queries(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        query = kwargs.get('query') or (args[1] if len(args) > 1 else args[0])
        print(f"[{datetime.now()}] Executing query: {query}", file=SINK)
        return func(*args, **kwargs)
    return wrapper


def with_db_connection(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        conn = sqlite3.connect(DB)
        try:
            return func(conn, *args, **kwargs)
        finally:
            conn.close()
    return wrapper


def transactional(func):
    @functools.wraps(func)
    def wrapper(conn, *args, **kwargs):
        try:
            result = func(conn, *args, **kwargs)
            conn.commit()
            return result
        except Exception:
            conn.rollback()
            raise
    return wrapper


def retry_on_failure(retries=3, delay=2):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(retries):
                try:
                    return func(*args, **kwargs)
                except Exception:
                    if attempt == retries - 1:
                        raise
                    time.sleep(delay)
        return wrapper
    return decorator


query_cache = {}


def cache_query(func):
    @functools.wraps(func)
    def wrapper(conn, *args, **kwargs):
        key = (kwargs.get('query') or args[0], args[1:], tuple(sorted(kwargs.items())))
        if key in query_cache:
            return query_cache[key]
        result = func(conn, *args, **kwargs)
        query_cache[key] = result
        return result
    return wrapper


@retry_on_failure(retries=3, delay=1)
@with_db_connection
@log_queries
@cache_query
@transactional
def get_user_by_id(conn, query, user_id):
    cursor = conn.cursor()
    cursor.execute(query, (user_id,))
    return cursor.fetchone()


def main():
    sql = 'SELECT * FROM users WHERE id = ?'
    next_id = [0]

    def call():
        user_id = (next_id[0] % USERS) + 1
        next_id[0] += 1
        if user_id == 1:
            # ids come round again: emptied, so every call misses (ours: a 500-entry LRU that has let them go)
            query_cache.clear()
        return get_user_by_id(sql, user_id)

    for _ in range(CALLS):
        call()
    start = time.perf_counter()
    for _ in range(CALLS):
        row = call()
        assert row is not None
    elapsed = time.perf_counter() - start
    print(json.dumps({'us_per_call': elapsed * 1e6 / CALLS}))


main()
