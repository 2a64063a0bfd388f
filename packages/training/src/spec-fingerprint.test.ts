import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fingerprintSpec } from './spec-fingerprint.ts';
import { createTinySpec } from './test-support.ts';

describe('fingerprintSpec', () => {
  it('does not depend on the order of the fields', () => {
    const spec = createTinySpec();
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as typeof spec;

    assert.match(fingerprintSpec(spec), /^[0-9a-f]{64}$/);
    assert.equal(fingerprintSpec(reordered), fingerprintSpec(spec));
  });

  it('changes with any field', () => {
    const spec = createTinySpec();
    assert.equal(spec.model.family, 'shallow-ae');
    const other = { ...spec, model: { ...spec.model, channels: 9 } };

    assert.notEqual(fingerprintSpec(other), fingerprintSpec(spec));
  });
});
