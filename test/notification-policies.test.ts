// Notification policies (src/resources/notification-policies/): the webhook secret, recipients that
// fit the channel, and recipients and notification types as sets, read back as a client would.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RULES } from '../src/resources/registry.js';
import { expectError, freshClient, makeApp } from './helpers.js';

const { app } = makeApp();
const webhook = {
  name: 'Dev hooks',
  recipients: ['https://api.company.com/webhooks'],
  channel: 'WEBHOOK',
  notificationTypes: ['CUSTOMER_CREATED'],
};
const email = { name: 'Finance', recipients: ['finance@example.com'], channel: 'EMAIL' };

async function create(auth: string, body: object) {
  const res = await request(app).post('/notifications/policies').set('Authorization', auth).send(body);
  expect(res.status).toBe(201);
  return res.body;
}
const read = async (auth: string, id: string) => (await request(app).get(`/notifications/policies/${id}`).set('Authorization', auth)).body;

describe('notification policies', () => {
  it('keeps the webhook secret a WEBHOOK policy was given, and generates a whsec_ one otherwise, answered on every read', async () => {
    const auth = freshClient();
    const given = await create(auth, { ...webhook, webhookSecret: 'whsec_UserSubmittedSecret1234567890abc' });
    expect(given.webhookSecret).toBe('whsec_UserSubmittedSecret1234567890abc');
    const generated = await create(auth, webhook);
    expect(generated.webhookSecret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(generated.webhookSecret).not.toBe(given.webhookSecret);
    expect((await read(auth, generated.id)).webhookSecret).toBe(generated.webhookSecret);
    expect((await create(auth, email)).webhookSecret).toBeUndefined();
  });

  it('refuses a webhook secret on an EMAIL policy, and recipients that do not fit the channel, naming each', async () => {
    const auth = freshClient();
    const secret = await request(app)
      .post('/notifications/policies')
      .set('Authorization', auth)
      .send({ ...email, webhookSecret: 'whsec_x' });
    expect(expectError(secret, 400, '/body/webhookSecret').errors).toEqual([
      { path: '/body/webhookSecret', message: RULES.secretNotWebhook },
    ]);
    const urls = await request(app)
      .post('/notifications/policies')
      .set('Authorization', auth)
      .send({ ...webhook, recipients: ['https://ok.example.com/hook', 'ops@example.com'] });
    expect(expectError(urls, 400).errors).toEqual([{ path: '/body/recipients/1', message: RULES.webhookRecipient }]);
    const emails = await request(app)
      .post('/notifications/policies')
      .set('Authorization', auth)
      .send({ ...email, recipients: ['not an email'] });
    expect(expectError(emails, 400).errors).toEqual([{ path: '/body/recipients/0', message: RULES.emailRecipient }]);
    // The operation documents its own 400 body ({"errors": [...]}): the same list is there too.
    expect(emails.body.errors).toEqual(emails.body.error.errors);
    const listed = await request(app).get('/notifications/policies').set('Authorization', auth);
    expect(listed.body.items).toEqual([]);
  });

  it('adds recipients and types as sets, and a policy of every type stays one', async () => {
    const auth = freshClient();
    const policy = await create(auth, webhook);
    const added = await request(app)
      .post(`/notifications/policies/${policy.id}/recipients`)
      .set('Authorization', auth)
      .send({ recipients: ['https://b.example.com/h', 'https://api.company.com/webhooks'] });
    expect([added.status, added.body.recipients]).toEqual([200, ['https://api.company.com/webhooks', 'https://b.example.com/h']]);
    const wrong = await request(app)
      .post(`/notifications/policies/${policy.id}/recipients`)
      .set('Authorization', auth)
      .send({ recipients: ['ops@example.com'] });
    expectError(wrong, 400, '/body/recipients/0');
    const types = await request(app)
      .post(`/notifications/policies/${policy.id}/notification-types`)
      .set('Authorization', auth)
      .send({ notificationTypes: ['INVOICE_ISSUED', 'CUSTOMER_CREATED'] });
    expect(types.body.notificationTypes).toEqual(['CUSTOMER_CREATED', 'INVOICE_ISSUED']);
    expect((await read(auth, policy.id)).notificationTypes).toEqual(['CUSTOMER_CREATED', 'INVOICE_ISSUED']);

    const everything = await create(auth, email);
    const unchanged = await request(app)
      .post(`/notifications/policies/${everything.id}/notification-types`)
      .set('Authorization', auth)
      .send({ notificationTypes: ['INVOICE_ISSUED'] });
    expect([unchanged.status, unchanged.body.notificationTypes]).toEqual([200, undefined]);
  });

  it('removes a recipient or a type, but never the last, nor one it does not have', async () => {
    const auth = freshClient();
    const policy = await create(auth, { ...webhook, recipients: ['https://a.example.com/h', 'https://b.example.com/h'] });
    const base = `/notifications/policies/${policy.id}`;
    const removed = await request(app)
      .delete(`${base}/recipients/${encodeURIComponent('https://a.example.com/h')}`)
      .set('Authorization', auth);
    expect([removed.status, removed.body.recipients]).toEqual([200, ['https://b.example.com/h']]);
    expect((await read(auth, policy.id)).recipients).toEqual(['https://b.example.com/h']);
    const last = await request(app)
      .delete(`${base}/recipients/${encodeURIComponent('https://b.example.com/h')}`)
      .set('Authorization', auth);
    expect(expectError(last, 400).errors).toEqual([{ path: '/path/recipient', message: RULES.lastRecipient }]);
    const unknown = await request(app).delete(`${base}/recipients/nobody`).set('Authorization', auth);
    expectError(unknown, 404, '/path/recipient');

    const lastType = await request(app).delete(`${base}/notification-types/CUSTOMER_CREATED`).set('Authorization', auth);
    expect(expectError(lastType, 400).errors).toEqual([{ path: '/path/type', message: RULES.lastType }]);
    const everything = await create(auth, email);
    const allTypes = await request(app)
      .delete(`/notifications/policies/${everything.id}/notification-types/INVOICE_ISSUED`)
      .set('Authorization', auth);
    expect(expectError(allTypes, 400).errors).toEqual([{ path: '/path/type', message: RULES.allTypes }]);
    const missing = await request(app).delete(`/notifications/policies/no-such-policy/recipients/x`).set('Authorization', auth);
    expectError(missing, 404, '/path/id');
  });
});
