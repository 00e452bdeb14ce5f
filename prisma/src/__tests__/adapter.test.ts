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
