import { prepareDatabase, TEST_DATABASE_URL } from '../support/test-database';

/** Creates the test database when missing and applies the migrations from the build, as an operator would. */
export default async function globalSetup(): Promise<void> {
  await prepareDatabase(TEST_DATABASE_URL);
}
