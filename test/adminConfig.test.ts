import { loadConfig } from '../src/config';

const ENTRA = {
  ADMIN_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000000a/v2.0',
  ADMIN_OIDC_CLIENT_ID: 'client',
  ADMIN_OIDC_CLIENT_SECRET: 'secret',
};
const APP = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x' };

describe('admin sign-in settings', () => {
  it('are all or nothing: an issuer without its client names what is missing', () => {
    expect(loadConfig({}).adminSignIn).toBeUndefined();
    expect(() => loadConfig({ ADMIN_OIDC_ISSUER: ENTRA.ADMIN_OIDC_ISSUER })).toThrow('ADMIN_OIDC_CLIENT_ID: is required');
    expect(() => loadConfig({ ...ENTRA, ADMIN_OIDC_CLIENT_SECRET: '' })).toThrow('ADMIN_OIDC_CLIENT_SECRET: is required');
  });

  it('default to the app role SecurityInfo.Admin and the callback under PUBLIC_BASE_URL', () => {
    expect(loadConfig({ ...ENTRA, PUBLIC_BASE_URL: 'https://bot.contoso.com/' }).adminSignIn).toEqual({
      issuer: ENTRA.ADMIN_OIDC_ISSUER,
      clientId: 'client',
      clientSecret: 'secret',
      redirectUrl: 'https://bot.contoso.com/admin/callback',
      role: 'SecurityInfo.Admin',
      group: undefined,
    });
    expect(loadConfig({ ...ENTRA, ADMIN_ROLE: 'Dashboard.Admin', ADMIN_GROUP: 'g1' }).adminSignIn).toMatchObject({
      role: 'Dashboard.Admin',
      group: 'g1',
    });
  });

  it('outside local mode, refuse a provider or a callback on plain HTTP', () => {
    const httpsBot = { ...APP, PUBLIC_BASE_URL: 'https://bot.contoso.com' };
    expect(() => loadConfig({ ...httpsBot, ...ENTRA, ADMIN_OIDC_ISSUER: 'http://idp.contoso.com' })).toThrow(
      'ADMIN_OIDC_ISSUER: must be https:// outside local mode',
    );
    expect(() => loadConfig({ ...APP, ...ENTRA, PUBLIC_BASE_URL: 'http://bot.contoso.com' })).toThrow('PUBLIC_BASE_URL: must be https://');
    expect(() => loadConfig({ ...httpsBot, ...ENTRA, ADMIN_OIDC_REDIRECT_URL: 'http://bot.contoso.com/cb' })).toThrow(
      'ADMIN_OIDC_REDIRECT_URL: must be https://',
    );
    expect(loadConfig({ ...httpsBot, ...ENTRA }).adminSignIn?.redirectUrl).toBe('https://bot.contoso.com/admin/callback');
  });
});
