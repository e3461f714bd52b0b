import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LedgerlinkError } from '../../canonical/errors.js';
import { guardConnectorUrl, guardRedirect, isLoopbackHost, refusedAddressReason } from './url-guard.js';

const refusedCode = (e: unknown): boolean =>
  e instanceof LedgerlinkError && e.code === 'LL_ERR_CONNECTOR_URL_REFUSED' && e.status === 400;

describe('url-guard', () => {
  test('https anywhere and http on loopback are accepted', () => {
    for (const url of [
      'https://my-tenant-api.s4hana.cloud.sap/sap/opu/odata/sap/API_BUSINESS_PARTNER/',
      'https://acme.coupahost.com/api',
      'http://127.0.0.1:4010/',
      'http://127.9.9.9/',
      'http://localhost:8080/sim',
      'http://sim.localhost/',
      'http://[::1]:9000/',
    ]) {
      assert.equal(guardConnectorUrl(url).href, new URL(url).href, url);
    }
  });

  test('other schemes, credentials in the URL and plain http elsewhere are refused', () => {
    for (const url of [
      'ftp://127.0.0.1/',
      'file:///etc/passwd',
      'gopher://x/',
      'https://user:pw@host.example/',
      'http://sap.example.com/',
      'not a url',
    ]) {
      assert.throws(() => guardConnectorUrl(url, { system: 'sap' }), refusedCode, url);
    }
    assert.equal(guardConnectorUrl('http://sim.internal:8080/', { allowInsecureHttp: true }).hostname, 'sim.internal');
  });

  test('the refusal never shows the password', () => {
    assert.throws(
      () => guardConnectorUrl('https://admin:s3cr3t@host.example/'),
      (e: unknown) =>
        refusedCode(e) &&
        !JSON.stringify((e as LedgerlinkError).toBody()).includes('s3cr3t') &&
        !(e as Error).message.includes('s3cr3t'),
    );
  });

  test('link-local and metadata addresses are refused however they are written, even with allowInsecureHttp', () => {
    const refused = [
      'http://169.254.169.254/latest/meta-data/',
      'https://169.254.169.254/',
      'https://169.254.1.1/',
      'http://2852039166/', // decimal 169.254.169.254
      'http://0xA9FEA9FE/', // hex
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://0251.0376.0251.0376/', // octal
      'http://169.254.43518/', // short form
      'http://[::ffff:169.254.169.254]/', // IPv4-mapped IPv6
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::a9fe:a9fe]/', // NAT64
      'http://[fe80::1]/',
      'http://[febf::1]/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./',
      'http://100.100.100.200/',
      'http://0.0.0.0/',
      'http://[::]/',
    ];
    for (const url of refused) {
      assert.throws(() => guardConnectorUrl(url, { allowInsecureHttp: true }), refusedCode, url);
    }
  });

  test('neighbours of refused ranges are not refused', () => {
    for (const host of [
      '169.253.255.255',
      '169.255.0.1',
      '100.100.100.201',
      'fec0::1',
      'fd00:ec2::253',
      'metadata.example.com',
      '10.0.0.1',
    ]) {
      assert.equal(refusedAddressReason(host), undefined, host);
    }
  });

  test('loopback detection', () => {
    for (const host of ['127.0.0.1', '127.1', 'localhost', 'LOCALHOST.', '[::1]', '::ffff:127.0.0.1', '2130706433'])
      assert.ok(isLoopbackHost(host), host);
    for (const host of ['128.0.0.1', 'example.com', '::2', 'localhost.example.com'])
      assert.ok(!isLoopbackHost(host), host);
  });

  test('redirect targets: https passes the address checks; plain http only to the same loopback origin', () => {
    const sim = new URL('http://127.0.0.1:4010/a');
    guardRedirect(sim, new URL('http://127.0.0.1:4010/b'));
    guardRedirect(sim, new URL('https://tenant.example/b'));
    assert.throws(() => guardRedirect(sim, new URL('http://127.0.0.1:4011/b')), refusedCode);
    assert.throws(
      () => guardRedirect(new URL('https://tenant.example/'), new URL('http://tenant.example/')),
      refusedCode,
    );
    assert.throws(
      () => guardRedirect(new URL('https://tenant.example/'), new URL('https://169.254.169.254/')),
      refusedCode,
    );
    assert.throws(
      () => guardRedirect(new URL('https://tenant.example/'), new URL('https://u:p@tenant.example/')),
      refusedCode,
    );
  });
});
