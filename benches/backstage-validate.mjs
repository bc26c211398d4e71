// Validate every Backstage descriptor (*.yaml) under DIR the way the Backstage catalog does when
// it ingests an entity: the envelope schema, then the catalog's default entity policies, then the
// built-in kind validators (an entity no kind validator accepts is an error).
//
//   node backstage-validate.mjs DIR
//
// Prints `N entities, E errors` (and each error on stderr); exits 1 if there is any error.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  entityEnvelopeSchemaValidator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node backstage-validate.mjs DIR');
  process.exit(2);
}

const validateEnvelope = entityEnvelopeSchemaValidator();
// The catalog backend's default policies, in its order.
const policy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);
const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

async function validate(entity) {
  validateEnvelope(entity);
  const enforced = await policy.enforce(entity);
  for (const validator of kindValidators) {
    if (await validator.check(enforced)) {
      return;
    }
  }
  throw new Error(`no validator accepts kind ${entity.kind} (${entity.apiVersion})`);
}

const files = readdirSync(dir, { recursive: true })
  .filter((file) => file.endsWith('.yaml'))
  .sort();
let errors = 0;
for (const file of files) {
  try {
    await validate(parse(readFileSync(join(dir, file), 'utf8')));
  } catch (error) {
    errors += 1;
    console.error(`${file}: ${error.message}`);
  }
}
console.log(`${files.length} entities, ${errors} errors`);
process.exitCode = errors > 0 ? 1 : 0;
