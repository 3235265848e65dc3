// A CommonJS TypeScript consumer (module nodenext): `require` of the
// package, whose CommonJS entry exports `default` (init), MigoClient,
// MigoError, activationUrl and isValidCardNumber as the types say.
import sdk = require("migo-cards");
import testing = require("migo-cards/testing");

async function main(accessToken: string): Promise<string> {
  await sdk.default();
  const gateway: testing.TestGateway = testing.createTestGateway({ seed: 1 });
  void gateway.fetch;
  const client = new sdk.MigoClient({ accessToken, environment: "sandbox" });
  try {
    const card: sdk.Card = await client.issueCard("1001");
    return `${card.cardId} ${sdk.activationUrl({ userId: "1001" })} ${sdk.isValidCardNumber("4111111111111111")}`;
  } catch (e) {
    if (e instanceof sdk.MigoError) return e.kind;
    throw e;
  }
}

export = main;
