import { classifyDatabaseError } from './classify'
import { DatabaseAuthError, DatabaseError, DatabaseFileError, DatabaseTimeoutError, DatabaseUnreachableError, MissingDatabaseError, NoDatabaseSelectedError } from './errors'
import { parseDatabaseUrl } from './url'

const fault = (code: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(`driver says ${code}`), { code, ...extra })

describe('classifyDatabaseError', () => {
  const mysql = parseDatabaseUrl('mysql://root:s3cret@127.0.0.1:18399/x')

  it.each([
    ['ECONNREFUSED', DatabaseUnreachableError, 'cannot reach MySQL at 127.0.0.1:18399: connection refused — is the server running? (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
    ['ENOTFOUND', DatabaseUnreachableError, 'cannot reach MySQL at 127.0.0.1:18399: host "127.0.0.1" not found — check the host in DATABASE_URL (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
    ['EHOSTUNREACH', DatabaseUnreachableError, 'cannot reach MySQL at 127.0.0.1:18399: no route to the host — check the host in DATABASE_URL and your network (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
    ['ETIMEDOUT', DatabaseTimeoutError, 'cannot reach MySQL at 127.0.0.1:18399: no answer within 2.5 s — is the server up, and is this its port? (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
    ['ER_ACCESS_DENIED_ERROR', DatabaseAuthError, 'access denied for root@127.0.0.1: check the password in DATABASE_URL (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
    ['ER_NO_DB_ERROR', NoDatabaseSelectedError, 'the URL names no database on MySQL at 127.0.0.1:18399: add /<name> (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
    ['ER_BAD_DB_ERROR', MissingDatabaseError, 'database "x" does not exist on MySQL at 127.0.0.1:18399: create it (CREATE DATABASE `x`) or fix the name in DATABASE_URL (DATABASE_URL=mysql://root:***@127.0.0.1:18399/x)'],
  ])('turns %s into one line that says what to do', (code, type, message) => {
    const err = classifyDatabaseError(fault(code), mysql, { fromEnv: true, connectTimeoutMs: 2500 })
    expect(err).toBeInstanceOf(type)
    expect(err).toBeInstanceOf(DatabaseError)
    expect(err?.message).toBe(message)
    expect(err?.message).not.toContain('s3cret')
    expect(err).toMatchObject({ server: 'MySQL at 127.0.0.1:18399', url: 'mysql://root:***@127.0.0.1:18399/x', database: 'x' })
  })

  it('says "the URL" when the URL did not come from DATABASE_URL, and asks for a password when none was given', () => {
    const err = classifyDatabaseError(fault('ER_ACCESS_DENIED_ERROR'), parseDatabaseUrl('mysql://ada@db.local/app'))
    expect(err?.message).toBe('access denied for ada@db.local (no password given): add it to the URL as mysql://ada:<password>@… (url mysql://ada@db.local/app)')
  })

  it('finds the code through a cause chain and an AggregateError (both address families refused)', () => {
    const aggregate = Object.assign(new AggregateError([fault('ECONNREFUSED'), fault('ECONNREFUSED')], 'x'), {})
    expect(classifyDatabaseError(new Error('wrapped', { cause: aggregate }), mysql)).toBeInstanceOf(DatabaseUnreachableError)
  })

  it('classifies a handshake reset and a knex acquire timeout only at connect', () => {
    expect(classifyDatabaseError(fault('ECONNRESET'), mysql)).toBeUndefined()
    expect(classifyDatabaseError(fault('ECONNRESET'), mysql, { atConnect: true })).toBeInstanceOf(DatabaseUnreachableError)
    const knexTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' })
    expect(classifyDatabaseError(knexTimeout, mysql)).toBeUndefined()
    expect(classifyDatabaseError(knexTimeout, mysql, { atConnect: true })).toBeInstanceOf(DatabaseTimeoutError)
  })

  it('leaves other errors alone and passes ours through', () => {
    expect(classifyDatabaseError(fault('ER_PARSE_ERROR'), mysql)).toBeUndefined()
    expect(classifyDatabaseError('boom', mysql)).toBeUndefined()
    const ours = new DatabaseError('x')
    expect(classifyDatabaseError(ours, mysql)).toBe(ours)
  })

  it('names the SQLite file that cannot be opened', () => {
    const sqlite = parseDatabaseUrl('sqlite:/no/such/dir/x.db')
    const err = classifyDatabaseError(fault('SQLITE_CANTOPEN'), sqlite)
    expect(err).toBeInstanceOf(DatabaseFileError)
    expect(err?.message).toBe('cannot open SQLite file /no/such/dir/x.db: driver says SQLITE_CANTOPEN — check that its folder exists and you can write to it (url sqlite:/no/such/dir/x.db)')
    expect(classifyDatabaseError(fault('SQLITE_CONSTRAINT'), sqlite)).toBeUndefined()
  })

  describe('on PostgreSQL', () => {
    const pg = parseDatabaseUrl('postgres://ada:s3cret@127.0.0.1:15432/app')
    const server = (code: string, message: string): Error => Object.assign(new Error(message), { code, severity: 'FATAL' })

    it.each([
      [fault('ECONNREFUSED'), DatabaseUnreachableError, 'cannot reach PostgreSQL at 127.0.0.1:15432: connection refused — is the server running? (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)'],
      [server('28P01', 'password authentication failed for user "ada"'), DatabaseAuthError, 'access denied for ada@127.0.0.1: check the password in DATABASE_URL (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)'],
      [
        server('28000', 'role "ada" does not exist'),
        DatabaseAuthError,
        'access denied for ada@127.0.0.1: role "ada" does not exist — create it (CREATE ROLE "ada" LOGIN) or fix the user in DATABASE_URL (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)',
      ],
      [
        server('28000', 'no pg_hba.conf entry for host "10.0.0.2", user "ada", database "app", no encryption'),
        DatabaseAuthError,
        'access denied for ada@127.0.0.1: no pg_hba.conf entry for host "10.0.0.2", user "ada", database "app", no encryption — check the user in DATABASE_URL and the server\'s pg_hba.conf (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)',
      ],
      [
        server('3D000', 'database "app" does not exist'),
        MissingDatabaseError,
        'database "app" does not exist on PostgreSQL at 127.0.0.1:15432: create it (CREATE DATABASE "app") or fix the name in DATABASE_URL (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)',
      ],
      [new Error('timeout expired'), DatabaseTimeoutError, 'cannot reach PostgreSQL at 127.0.0.1:15432: no answer within 2.5 s — is the server up, and is this its port? (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)'],
      [
        new Error('Connection terminated unexpectedly'),
        DatabaseUnreachableError,
        'cannot reach PostgreSQL at 127.0.0.1:15432: the server closed the connection during the handshake — is it a PostgreSQL server? (DATABASE_URL=postgres://ada:***@127.0.0.1:15432/app)',
      ],
    ])('turns %s into one line that names PostgreSQL', (error, type, message) => {
      const err = classifyDatabaseError(error, pg, { fromEnv: true, connectTimeoutMs: 2500, atConnect: true })
      expect(err).toBeInstanceOf(type)
      expect(err?.message).toBe(message)
      expect(err).toMatchObject({ server: 'PostgreSQL at 127.0.0.1:15432', url: 'postgres://ada:***@127.0.0.1:15432/app', database: 'app' })
    })

    it('asks for a password when none was given, names the default database, and leaves statement errors alone', () => {
      const bare = parseDatabaseUrl('postgres://ada@db.local')
      expect(classifyDatabaseError(server('28P01', 'password authentication failed'), bare)?.message).toBe(
        'access denied for ada@db.local (no password given): add it to the URL as postgres://ada:<password>@… (url postgres://ada@db.local)',
      )
      expect(classifyDatabaseError(server('3D000', 'database "ada" does not exist'), bare)?.message).toMatch(/^database "ada" does not exist on PostgreSQL at db\.local:5432/)
      expect(classifyDatabaseError(server('42601', 'syntax error'), pg)).toBeUndefined()
      // a connection lost later is not a connect error
      expect(classifyDatabaseError(new Error('Connection terminated unexpectedly'), pg)).toBeUndefined()
    })
  })
})
