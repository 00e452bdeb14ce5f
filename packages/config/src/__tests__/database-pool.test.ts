import { ConfigError } from '../env';
import { commonConfig, databasePoolConfig, DEFAULT_DATABASE_POOL } from '../config';

describe('databasePoolConfig', () => {
  it('is small by default, so a developer stack and the test suite share one MariaDB', () => {
    expect(databasePoolConfig({})).toEqual(DEFAULT_DATABASE_POOL);
    expect(DEFAULT_DATABASE_POOL).toEqual({ connectionLimit: 5, minIdle: 1, idleSeconds: 60 });
    expect(commonConfig({}).databasePool).toEqual(DEFAULT_DATABASE_POOL);
  });

  it('takes DATABASE_POOL_SIZE, DATABASE_POOL_MIN_IDLE and DATABASE_POOL_IDLE_SECONDS', () => {
    expect(databasePoolConfig({ DATABASE_POOL_SIZE: '20', DATABASE_POOL_MIN_IDLE: '20', DATABASE_POOL_IDLE_SECONDS: '300' })).toEqual({
      connectionLimit: 20,
      minIdle: 20,
      idleSeconds: 300,
    });
    expect(databasePoolConfig({ DATABASE_POOL_SIZE: '3', DATABASE_POOL_MIN_IDLE: '1' })).toEqual({ connectionLimit: 3, minIdle: 1, idleSeconds: 60 });
  });

  it('stops the start with one line naming a bad value', () => {
    expect(() => databasePoolConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(ConfigError);
    expect(() => databasePoolConfig({ DATABASE_POOL_SIZE: 'ten' })).toThrow(/DATABASE_POOL_SIZE/);
    // The driver opens connections only while fewer than minimumIdle are idle: with 0 a pool would never connect.
    expect(() => databasePoolConfig({ DATABASE_POOL_MIN_IDLE: '0' })).toThrow(/DATABASE_POOL_MIN_IDLE/);
    expect(() => databasePoolConfig({ DATABASE_POOL_SIZE: '4', DATABASE_POOL_MIN_IDLE: '5' })).toThrow(/DATABASE_POOL_MIN_IDLE \(5\) must not be more than DATABASE_POOL_SIZE \(4\)/);
  });
});
