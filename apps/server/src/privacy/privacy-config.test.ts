import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';

describe('privacy and security configuration', () => {
  it('accepts TRUST_PROXY as a boolean or a list of addresses and CIDRs', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      '::1',
    ]);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'proxy.example' })).toThrow(ConfigError);
  });

  it('refuses TRUST_PROXY=true in production: anyone could choose the address they are limited as', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ NODE_ENV: 'production', ...env });
        return '';
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
    };
    expect(problems({ TRUST_PROXY: 'true' })).toMatch(/^TRUST_PROXY: 'true' trusts any client/m);
    expect(problems({ TRUST_PROXY: '10.0.0.0/8' })).not.toMatch(/TRUST_PROXY/);
  });

  it('keeps IPv6 networks as /48 unless IPV6_NETWORK_PREFIX says 64', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).privacy.ipv6Prefix).toBe(48);
    expect(loadConfig({ NODE_ENV: 'test', IPV6_NETWORK_PREFIX: '64' }).privacy.ipv6Prefix).toBe(64);
    expect(() => loadConfig({ NODE_ENV: 'test', IPV6_NETWORK_PREFIX: '56' })).toThrow(ConfigError);
  });

  it('has demo operator details in demo mode and requires real ones in production', () => {
    const demo = loadConfig({ NODE_ENV: 'test' });
    expect(demo.operatorIdentity.email).toMatch(/\.example$/);
    expect(demo.operatorIdentity.addressLines.length).toBeGreaterThan(1);
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of [
        'OPERATOR_COMPANY',
        'OPERATOR_ADDRESS',
        'OPERATOR_DPO_EMAIL',
        'OPERATOR_DPO_PHONE',
      ]) {
        expect(problems).toContain(name);
      }
    }
  });

  it('needs both TLS files or neither', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TLS_CERT_FILE: '/tmp/cert.pem' })).toThrow(/TLS_KEY_FILE/);
    expect(loadConfig({ NODE_ENV: 'test', TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k' }).tls).toEqual({
      certFile: '/c',
      keyFile: '/k',
    });
  });
});
