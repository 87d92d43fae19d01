// The no-framework ceiling for `npm run bench`: node:http doing what the fake must do at the least
// for these two requests (parse the JSON body, insert into a Map, reply JSON; look up by id), with no
// validation, rules or logging. Usage: node bench/ceiling.mjs PORT
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const customers = new Map();
const reply = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/customers') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const customer = { id: randomUUID(), createdAt: new Date().toISOString(), ...JSON.parse(Buffer.concat(chunks).toString()) };
      customers.set(customer.id, customer);
      reply(res, 201, customer);
    });
    return;
  }
  const customer = req.method === 'GET' && req.url.startsWith('/customers/') && customers.get(req.url.slice('/customers/'.length));
  if (customer) reply(res, 200, customer);
  else reply(res, 404, { status: 404 });
}).listen(Number(process.argv[2] ?? 0), '127.0.0.1', function () {
  process.stdout.write(`listening on http://127.0.0.1:${this.address().port} \n`);
});
