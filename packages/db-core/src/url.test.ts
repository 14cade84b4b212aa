import path from 'node:path'
import { InvalidDatabaseUrlError } from './errors'
import { DEFAULT_SQLITE_FILE, defaultDatabaseUrl, maskUrl, parseDatabaseUrl, resolveUserPath, userCwd } from './url'

describe('defaultDatabaseUrl', () => {
  it('falls back to the embedded SQLite file when DATABASE_URL is unset or blank', () => {
    expect(defaultDatabaseUrl({})).toBe(`sqlite:${DEFAULT_SQLITE_FILE}`)
    expect(defaultDatabaseUrl({ DATABASE_URL: '  ' })).toBe(`sqlite:${DEFAULT_SQLITE_FILE}`)
    expect(DEFAULT_SQLITE_FILE.endsWith(path.join('.data', 'alx.sqlite'))).toBe(true)
  })

  it('uses DATABASE_URL when set', () => {
    expect(defaultDatabaseUrl({ DATABASE_URL: 'mysql://root@127.0.0.1/test' })).toBe('mysql://root@127.0.0.1/test')
  })
})

describe('parseDatabaseUrl', () => {
  it('parses SQLite files, absolute and relative, and :memory:', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:', url: 'sqlite::memory:' })
    expect(parseDatabaseUrl('sqlite:/tmp/x.db')).toMatchObject({ dialect: 'sqlite', filename: '/tmp/x.db' })
    expect(parseDatabaseUrl('sqlite:///tmp/y.db')).toMatchObject({ filename: '/tmp/y.db' })
    expect(parseDatabaseUrl('sqlite:rel/z.db', { cwd: '/work' })).toMatchObject({ filename: '/work/rel/z.db' })
    expect(parseDatabaseUrl('sqlite:./rel/z.db', { cwd: '/work' })).toMatchObject({ filename: '/work/rel/z.db' })
    expect(parseDatabaseUrl('sqlite:rel/z.db')).toMatchObject({ filename: path.resolve(userCwd(), 'rel/z.db') })
  })

  it('rejects sqlite://<something>/… (a host, not a path), giving both spellings', () => {
    expect(() => parseDatabaseUrl('sqlite://tmp/x.db')).toThrow(
      'Invalid database URL "sqlite://tmp/x.db": "sqlite://" is followed by a host, not a path: write "sqlite:./tmp/x.db" for a file relative to where you are, or "sqlite:/tmp/x.db" for an absolute path',
    )
    expect(() => parseDatabaseUrl('sqlite://./x.db')).toThrow(/write "sqlite:\.\/x\.db"/)
    expect(parseDatabaseUrl('sqlite://:memory:')).toMatchObject({ filename: ':memory:' })
  })

  it('parses MySQL URLs with defaults for port and user', () => {
    expect(parseDatabaseUrl('mysql://app:p%40ss@db.local:3307/ALX_prodev')).toEqual({
      dialect: 'mysql',
      host: 'db.local',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'ALX_prodev',
      url: 'mysql://app:***@db.local:3307/ALX_prodev',
    })
    expect(parseDatabaseUrl('mariadb://127.0.0.1')).toMatchObject({ dialect: 'mysql', port: 3306, user: 'root', password: '', database: undefined })
  })

  it('parses PostgreSQL URLs (postgres:// and postgresql://) with defaults for port, user and sslmode', () => {
    expect(parseDatabaseUrl('postgres://app:p%40ss@db.local:5433/alx?sslmode=require&application_name=grader')).toEqual({
      dialect: 'postgres',
      host: 'db.local',
      port: 5433,
      user: 'app',
      password: 'p@ss',
      database: 'alx',
      sslmode: 'require',
      applicationName: 'grader',
      url: 'postgres://app:***@db.local:5433/alx?sslmode=require&application_name=grader',
    })
    expect(parseDatabaseUrl('postgresql://127.0.0.1')).toEqual({
      dialect: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: '',
      database: undefined,
      sslmode: 'disable',
      applicationName: undefined,
      url: 'postgresql://127.0.0.1',
    })
    expect(parseDatabaseUrl('postgres://u@[::1]:6543/d')).toMatchObject({ host: '::1', port: 6543, database: 'd' })
    expect(maskUrl('postgres://u:a@b@h/d')).toBe('postgres://u:***@h/d')
  })

  it.each([
    ['oracle://u:secret@h/db', /unsupported scheme "oracle:" \(use sqlite:, mysql:\/\/ or postgres:\/\/\)/],
    ['postgres://u:secret@h/db?sslmode=sometimes', /bad sslmode "sometimes" \(use one of disable, allow, prefer, require, verify-ca, verify-full\)/],
    ['postgres://u:secret@h/db?search_path=x', /unknown option "search_path" \(PostgreSQL URLs take \?sslmode= and \?application_name=\)/],
    ['postgres://u:secret@h:70000/db', /not a valid URL/],
    ['postgresql://u:secret@h/a/b', /bad database name/],
    ['postgres://u:secret%zz@h/db', /bad %-escape/],
    ['just-a-path.db', /missing a scheme/],
    ['sqlite:', /missing the file path/],
    ['mysql://u:secret@h:99999/db', /not a valid URL/],
    ['mysql://u:secret@h:0/db', /bad port/],
    ['mysql://u:secret@h/a/b', /bad database name/],
    ['', /non-empty string/],
  ])('rejects %j with a typed error naming the URL', (url, reason) => {
    let caught: unknown
    try {
      parseDatabaseUrl(url)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InvalidDatabaseUrlError)
    const error = caught as InvalidDatabaseUrlError
    expect(error.code).toBe('DB_INVALID_URL')
    expect(error.message).toMatch(reason)
    expect(error.message).not.toContain('secret')
    if (url) expect(error.message).toContain(maskUrl(url))
  })
})

describe('maskUrl', () => {
  it('hides the password and nothing else', () => {
    expect(maskUrl('mysql://root:hunter2@127.0.0.1:3306/test')).toBe('mysql://root:***@127.0.0.1:3306/test')
    expect(maskUrl('mysql://root@127.0.0.1/test')).toBe('mysql://root@127.0.0.1/test')
    expect(maskUrl('sqlite:/tmp/a.db')).toBe('sqlite:/tmp/a.db')
  })

  it('hides a password holding an unencoded @ or /, as the URL parser reads it', () => {
    expect(maskUrl('mysql://root:p@ss@127.0.0.1/test')).toBe('mysql://root:***@127.0.0.1/test')
    expect(maskUrl('mysql://root:a/b@c@h:3306/db')).toBe('mysql://root:***@h:3306/db')
    expect(parseDatabaseUrl('mysql://root:p@ss@127.0.0.1/test')).toMatchObject({ password: 'p@ss', host: '127.0.0.1', url: 'mysql://root:***@127.0.0.1/test' })
  })
})

describe('userCwd and resolveUserPath', () => {
  it('start from INIT_CWD (where pnpm was run), else the process cwd', () => {
    expect(userCwd({ INIT_CWD: '/home/ada' })).toBe('/home/ada')
    expect(userCwd({})).toBe(process.cwd())
    expect(userCwd({ INIT_CWD: 'relative' })).toBe(process.cwd())
    expect(resolveUserPath('my.csv', { INIT_CWD: '/home/ada' })).toBe('/home/ada/my.csv')
    expect(resolveUserPath('/abs/my.csv', { INIT_CWD: '/home/ada' })).toBe('/abs/my.csv')
  })
})
