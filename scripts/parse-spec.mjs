#!/usr/bin/env node
// Part of `npm run build`: the document the fake serves (openapi.yaml normalised, merged with
// spec/mock.yaml) made once into dist/openapi.json, with the sha256 of both files, so start-up reads
// JSON (~35 ms) instead of parsing, normalising and merging 1.7 MB of YAML (~330 ms). src/spec.ts
// uses it only while the hash matches the files as they are (or their sizes and modification times
// are those recorded here, which skips the hashing), and makes the document from them otherwise.
import { writeFileSync } from 'node:fs';
import { buildSpec, PARSED_SPEC_PATH, SOURCE_PATHS, specSources, statSignature } from '../dist/engine/contract/spec.js';

const files = statSignature(SOURCE_PATHS);
writeFileSync(PARSED_SPEC_PATH, JSON.stringify({ sources: specSources(), files, document: buildSpec() }));
