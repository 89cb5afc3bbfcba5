// Navigation stays on app://coffer, only https: links leave for the browser, and permissions are denied but one.
import { describe, expect, it } from 'vitest';
import { externalUrlToOpen, navigationAllowed, permissionGranted } from '../../main/desktop/navigationPolicy.js';

describe('navigation', () => {
  it('stays on the app origin', () => {
    expect(navigationAllowed('app://coffer/index.html#/keys')).toBe(true);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://coffer.evil/', 'app://evil/', 'javascript:alert(1)', 'data:text/html,hi', 'about:blank', '']) {
      expect(navigationAllowed(url), url).toBe(false);
    }
  });
});

describe('links opened outside the app', () => {
  it('hands only https: URLs to the system browser, normalised', () => {
    expect(externalUrlToOpen('https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingEncryption.html')).toBe('https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingEncryption.html');
    expect(externalUrlToOpen('HTTPS://Example.com/a b')).toBe('https://example.com/a%20b');
  });

  it('drops every other scheme, credentials in the URL and unparsable input', () => {
    const dropped = [
      'http://example.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://attacker/share/run.exe',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'app://coffer/index.html',
      'mailto:someone@example.com',
      'https://user:pass@example.com/',
      'https://user@example.com/',
      'not a url',
      '',
    ];
    for (const url of dropped) expect(externalUrlToOpen(url), url).toBeUndefined();
  });
});

describe('permissions', () => {
  it('grants only clipboard writes, to the app origin, in its main frame', () => {
    expect(permissionGranted('clipboard-sanitized-write', 'app://coffer/index.html', true)).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', 'app://coffer/index.html', false)).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', 'https://example.com/', true)).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', undefined, true)).toBe(false);
  });

  it('denies everything else, even to the app', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'serial', 'display-capture', 'unknown']) {
      expect(permissionGranted(permission, 'app://coffer/index.html', true), permission).toBe(false);
    }
  });
});
