import mariadb from 'mariadb';

/** A direct connection to one of the stack's databases, for checking what the services stored (BIGINTs as bigint). */
export function connectToDatabase(databaseUrl: string): Promise<mariadb.Connection> {
  const url = new URL(databaseUrl);
  return mariadb.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    bigIntAsNumber: false,
    supportBigNumbers: true,
  });
}
