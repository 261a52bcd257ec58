// A real OpenID provider (panva's oidc-provider, ESM only, hence its own process) on 127.0.0.1, for
// the dashboard's sign-in tests: one confidential client, PKCE required, the accounts and claims given.
// The sign-in page is skipped: whoever the test names with `POST /test/next-login/<account>` is signed
// in at the next authorization request, and consents to openid, profile and email.
// Settings (env): CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ACCOUNTS (JSON: account id -> claims).
// Prints one line, {"issuer": "http://127.0.0.1:<port>"}, once it listens.
import http from 'node:http';
import Provider from 'oidc-provider';

const accounts = JSON.parse(process.env.ACCOUNTS ?? '{}');
let nextLogin;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  cookies: { keys: ['oidc-provider-test-cookie-key'] },
  // Entra puts roles and groups in the ID token; so does this provider.
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'roles', 'groups'], email: ['email'] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
});
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    const test = req.url.match(/^\/test\/next-login\/([\w-]+)$/);
    if (test && req.method === 'POST') {
      nextLogin = test[1];
      res.writeHead(204).end();
      return;
    }
    if (req.url.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: nextLogin } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope('openid profile email');
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    callback(req, res);
  } catch (err) {
    console.error(err);
    res.writeHead(500).end();
  }
});

console.log(JSON.stringify({ issuer }));
