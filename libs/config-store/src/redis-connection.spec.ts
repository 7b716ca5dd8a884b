import { isClusterUrl, parseRedisUrl, RedisUrlError } from './redis-connection';

describe('parseRedisUrl', () => {
  it('keeps redis:// and rediss:// URLs for a single server as they are', () => {
    expect(parseRedisUrl('redis://:pw@cache:6379/2')).toEqual({ mode: 'single', url: 'redis://:pw@cache:6379/2' });
    expect(parseRedisUrl('rediss://cache:6380')).toEqual({ mode: 'single', url: 'rediss://cache:6380' });
  });

  it('reads Sentinel addresses, the master name, a password and a db', () => {
    expect(parseRedisUrl('redis+sentinel://:s%40cret@s1:26379,s2:26380/mymaster?db=3')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'mymaster',
      password: 's@cret',
      db: 3,
    });
  });

  it('reads Cluster seed nodes, IPv6 included', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,[::1]:7001')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
      ],
    });
    expect(isClusterUrl('redis+cluster://a:7000')).toBe(true);
    expect(isClusterUrl('redis://a:6379')).toBe(false);
  });

  it.each([
    ['http://cache:6379', /expected redis:\/\/, rediss:\/\/, redis\+sentinel:\/\/ or redis\+cluster:\/\//],
    ['redis+sentinel://s1:26379', /needs the master name/],
    ['redis+cluster://a:7000,b', /"b" in .* is not host:port/],
  ])('rejects %s with the reason', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(RedisUrlError);
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});
