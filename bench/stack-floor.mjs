// What the mandated stack costs before any of sequence-mock's own work: express 5, express.json and
// express-openapi-validator configured and patched exactly as the fake runs it (src/http/openapi.ts and
// its validator-patches: request validation of the same merged document, without its examples; its
// requests born with the app's prototypes), and a
// handler that only inserts into a Map and replies. No auth, rules, organizations, logging or journal.
// With `--no-validator`, express alone. With `--documented`, the answer the document requires instead
// of an echo: a Customer whose body names a parent lists the parent's organization with every member
// by id and name (CustomerOrganization), one organization per parent and client as the fake keeps one
// per partition, so the answer grows as the fake's does under the bench's POSTs. Still no rules,
// contacts, aliases, logging or journal. Run by `npm run bench`.
// Usage: node bench/stack-floor.mjs PORT [--no-validator | --documented]
import express from 'express';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { bornWithAppPrototypes } from '../dist/http/born-with.js';
import { forValidation } from '../dist/engine/contract/conform.js';
import { specValidator } from '../dist/http/openapi.js';
import { loadSpec } from '../dist/engine/contract/spec.js';

const app = express();
// The fake's own settings, so only its work differs.
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json({ limit: '1mb' }));
if (!process.argv.includes('--no-validator')) {
  app.use(specValidator(forValidation(loadSpec()), { validateResponses: false }));
}
const customers = new Map();
const documented = process.argv.includes('--documented');
// Client and parent -> { id, owner, memberIds }.
const organizations = new Map();
const answer = (customer) => {
  if (!documented || customer.organization === undefined) return customer;
  const { organization, ...rest } = customer;
  const members = organization.memberIds.map((id) => ({ id, name: customers.get(id).legalName }));
  return { ...rest, organizations: [{ id: organization.id, owner: organization.owner, members }] };
};
for (const base of ['/api', '']) {
  app.post(`${base}/customers`, (req, res) => {
    const customer = { id: randomUUID(), createdAt: new Date().toISOString(), ...req.body };
    if (documented && typeof req.body.parentId === 'string') {
      const key = `${req.headers.authorization} ${req.body.parentId}`;
      let organization = organizations.get(key);
      if (!organization) {
        // The fixture parent the vendor example names has this legal name in the fake.
        organization = { id: randomUUID(), owner: { id: req.body.parentId, name: 'FinTech Solutions Inc.' }, memberIds: [] };
        organizations.set(key, organization);
      }
      organization.memberIds.push(customer.id);
      customer.organization = organization;
    }
    customers.set(customer.id, customer);
    res.status(201).json(answer(customer));
  });
  app.get(`${base}/customers/:id`, (req, res) => {
    const customer = customers.get(req.params.id);
    res.status(customer ? 200 : 404).json(customer ? answer(customer) : { status: 404 });
  });
}
app.use((err, _req, res, _next) => res.status(err.status ?? 500).json({ message: err.message }));
// Requests born with the app's prototypes, as the fake's server makes them (src/http/born-with.ts).
const server = createServer(bornWithAppPrototypes(app), app).listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port} \n`);
});
