// Every operation that neither a plug-in nor a collection serves answers its documented example for
// its success status, as Prism does, with what a client would notice made right: a created resource
// (201) gets a fresh id and fresh timestamps, so two creates never share an id; an item read answers
// the id it was asked for. `Prefer: example=<name>` picks a named example.
import { isObject, type Conformer } from './contract/conform.js';
import { chosenExample, freshFields } from './contract/operations.js';
import type { Answer, Call, Json } from './plugin.js';

export function exampleAnswer(conformer: Conformer, call: Call): Answer {
  const { operation } = call;
  if (!operation.responseSchema) return {};
  const example = chosenExample(operation, call.example);
  let overlay: Json = {};
  if (isObject(example)) {
    if (operation.status === 201) {
      const { id, ...timestamps } = freshFields(example, call.clock.now().toISOString(), () => call.clock.newId());
      overlay = { ...('id' in example && { id }), ...timestamps };
    } else if (typeof call.params.id === 'string' && 'id' in example) {
      overlay.id = call.params.id;
    }
  }
  return { body: conformer.fit(operation.responseSchema, example, overlay) };
}
