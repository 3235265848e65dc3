// A strict consumer whose lib is the default of target ES2022 (plus the DOM),
// checking the package's declarations too (skipLibCheck false). The package
// must not need a newer lib than its consumer's.
import init, { MigoClient, MigoError, activationUrl, type Card } from "migo-cards";

export async function main(accessToken: string): Promise<Card | string> {
  await init();
  const client = new MigoClient({ accessToken, environment: "sandbox" });
  try {
    return await client.issueCard("1001");
  } catch (e) {
    if (e instanceof MigoError && e.kind === "api") return activationUrl({ userId: "1001" });
    throw e;
  }
}
