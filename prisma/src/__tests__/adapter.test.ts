import { poolConfigFromUrl } from '../adapter';

describe('poolConfigFromUrl', () => {
  it('connects over verified TLS when the URL says ssl=true (managed MySQL requires it)', () => {
    expect(poolConfigFromUrl('mysql://app:secret@db.example:3306/harbour_user?ssl=true').ssl).toEqual({ rejectUnauthorized: true });
  });

  it('connects in the clear otherwise, as to the local server', () => {
    expect(poolConfigFromUrl('mysql://root@127.0.0.1:3306/harbour_user').ssl).toBeUndefined();
    expect(poolConfigFromUrl('mysql://root@127.0.0.1:3306/harbour_user?ssl=false').ssl).toBeUndefined();
  });
});

describe('pool size', () => {
  it('opens one connection while idle and grows to five by default', () => {
    const config = poolConfigFromUrl('mysql://root@127.0.0.1:3306/harbour_user');
    expect(config).toMatchObject({ connectionLimit: 5, minimumIdle: 1, idleTimeout: 60 });
  });

  it('takes the process settings, then the URL, then the default', () => {
    expect(poolConfigFromUrl('mysql://root@h/db?connection_limit=7')).toMatchObject({ connectionLimit: 7, minimumIdle: 1 });
    expect(poolConfigFromUrl('mysql://root@h/db?connection_limit=7', { connectionLimit: 12, minIdle: 12, idleSeconds: 600 })).toMatchObject({
      connectionLimit: 12,
      minimumIdle: 12,
      idleTimeout: 600,
    });
    // Never more kept idle than the pool may hold.
    expect(poolConfigFromUrl('mysql://root@h/db', { connectionLimit: 2, minIdle: 9 })).toMatchObject({ connectionLimit: 2, minimumIdle: 2 });
  });
});
