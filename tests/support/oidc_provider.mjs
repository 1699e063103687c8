// A real OpenID Connect provider (the certified `oidc-provider` package) on loopback, for the single sign-on tests.
// Started by the `oidc_provider` fixture in tests/browser/conftest.py with its settings in the environment:
//   OIDC_TEST_PORT, OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI
// The development sign-in page accepts any login name with any password: the name entered is the identity's email
// address, verified, as an organisation's directory (e.g. Microsoft Entra ID) would assert it.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_TEST_PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID,
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_TEST_REDIRECT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
  },
  async findAccount(ctx, id) {
    const email = id.toLowerCase();
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: true, name: email.split("@")[0] };
      },
    };
  },
  // The organisation has agreed to Liaison on its staff's behalf: no consent screen after signing in.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  cookies: { keys: ["liaison-tests-only"] },
  features: { devInteractions: { enabled: true } },
});

// Loopback over plain HTTP is what the tests have; the provider would otherwise insist on HTTPS cookies.
provider.proxy = false;

const server = provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
