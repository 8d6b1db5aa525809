// A one-thread in-memory DuckDB connection in UTC with no extension downloads, for one piece of work.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export async function withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  try {
    const conn = await instance.connect();
    await conn.run("SET TimeZone = 'UTC'");
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
