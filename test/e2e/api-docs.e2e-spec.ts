import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useAssentUnderTest } from '../support/assent-under-test';

const SEED_000 = readFileSync(join(__dirname, '..', '..', '..', 'shared', 'seeds', '000_3605fcf6b63f1f4a.txt'), 'utf8');

/** The property names (8-space indented keys) and enum values of one schema in seed 000's YAML (under components.schemas). */
function seedSchema(name: string): { properties: string[]; enums: string[] } {
  const lines = SEED_000.split('\n');
  const schemas = lines.indexOf('  schemas:');
  const start = lines.findIndex((line, i) => i > schemas && line === `    ${name}:`);
  const end = lines.findIndex((line, i) => i > start && /^ {0,4}\S/.test(line));
  const block = lines.slice(start + 1, end);
  return {
    properties: block.filter((line) => /^ {8}\w+:$/.test(line)).map((line) => line.trim().slice(0, -1)),
    enums: block.filter((line) => /^ {12}- [A-Z_]+$/.test(line)).map((line) => line.trim().slice(2)),
  };
}

describe('OpenAPI document at /docs', () => {
  const system = useAssentUnderTest();

  it('serves a document listing the webhook, enrollment and device endpoints', async () => {
    const response = await system.http().get('/docs/json').expect(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/authenticate/{customerNumber}/{sessionId}',
        '/api/v1/enrollments',
        '/api/v1/devices/registration-options',
        '/api/v1/devices',
        '/api/v1/device/challenges/{sessionId}/assertion-options',
        '/api/v1/device/challenges/{sessionId}/decision',
      ]),
    );
    // Every $ref resolves, and every error answer is an errorResponse.
    const refs = JSON.stringify(document).match(/"#\/components\/schemas\/(\w+)"/g) ?? [];
    for (const ref of refs) expect(document.components.schemas[ref.split('/').pop()!.slice(0, -1)]).toBeDefined();
    for (const [path, operations] of Object.entries<any>(document.paths)) {
      for (const operation of Object.values<any>(operations)) {
        for (const [status, answer] of Object.entries<any>(operation.responses)) {
          if (Number(status) >= 400) expect({ path, status, schema: answer.content['application/json'].schema }).toEqual({ path, status, schema: { $ref: '#/components/schemas/errorResponse' } });
        }
      }
    }
  });

  it('describes errorResponse and the callback body exactly as Enfuce’s document (seed 000) does', async () => {
    const { components } = (await system.http().get('/docs/json').expect(200)).body;
    const seedError = seedSchema('errorResponse');
    expect(seedError.properties).toHaveLength(7);
    expect(Object.keys(components.schemas.errorResponse.properties)).toEqual(seedError.properties);
    expect(components.schemas.errorResponse.properties.errorType.enum).toEqual(seedError.enums);
    expect(components.schemas.callbackBody.properties.result.enum).toEqual(seedSchema('callbackBody').enums);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await system.http().get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
