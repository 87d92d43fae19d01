// Parent/child organizations, as the Customer schema describes them.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MemoryStore } from '../src/engine/store/memory.js';
import { upgradePartition } from '../src/engine/store/upgrade.js';
import { basic, expectCustomer, freshClient, makeApp, minimalRequest } from './helpers.js';

const { app } = makeApp({ fixtures: false });

async function create(auth: string, body: Record<string, unknown>) {
  return expectCustomer(await request(app).post('/api/customers').set('Authorization', auth).send(body));
}
async function read(auth: string, id: string) {
  return expectCustomer(await request(app).get(`/api/customers/${id}`).set('Authorization', auth), 200);
}

describe('organizations', () => {
  it('a child of P joins the organization P owns; two children share it; members exclude the owner', async () => {
    const auth = freshClient();
    const parent = await create(auth, minimalRequest({ legalName: 'Parent Co' }));
    expect(parent.organizations).toEqual([]);
    const first = await create(auth, minimalRequest({ legalName: 'Child One', parentId: parent.id }));
    const second = await create(auth, minimalRequest({ legalName: 'Child Two', parentId: parent.id }));

    expect(first.organizations).toHaveLength(1);
    const organization = first.organizations[0];
    expect(organization.owner).toEqual({ id: parent.id, name: 'Parent Co' });
    expect(organization.members).toEqual([{ id: first.id, name: 'Child One' }]);
    expect(second.organizations[0].id).toBe(organization.id);

    const all = [
      { id: first.id, name: 'Child One' },
      { id: second.id, name: 'Child Two' },
    ];
    expect((await read(auth, parent.id)).organizations).toEqual([
      { id: organization.id, owner: { id: parent.id, name: 'Parent Co' }, members: all },
    ]);
    expect((await read(auth, first.id)).organizations).toEqual([
      { id: organization.id, owner: { id: parent.id, name: 'Parent Co' }, members: all },
    ]);
  });

  it("a child that is itself a parent lists both organizations: its parent's, then its own", async () => {
    const auth = freshClient();
    const top = await create(auth, minimalRequest({ legalName: 'Top' }));
    const middle = await create(auth, minimalRequest({ legalName: 'Middle', parentId: top.id }));
    const leaf = await create(auth, minimalRequest({ legalName: 'Leaf', parentId: middle.id }));
    const view = await read(auth, middle.id);
    expect(view.organizations.map((o: any) => o.owner.id)).toEqual([top.id, middle.id]);
    expect(view.organizations[1].members).toEqual([{ id: leaf.id, name: 'Leaf' }]);
    expect(view.organizations[0].id).not.toBe(view.organizations[1].id);
  });

  it('parallel creates under one parent lose no member', async () => {
    const auth = freshClient();
    const parent = await create(auth, minimalRequest({ legalName: 'Busy Parent' }));
    const children = await Promise.all(
      Array.from({ length: 40 }, (_, i) => create(auth, minimalRequest({ legalName: `Child ${i}`, parentId: parent.id }))),
    );
    const organizationIds = new Set(children.map((c) => c.organizations[0].id));
    expect(organizationIds.size).toBe(1);
    const members = (await read(auth, parent.id)).organizations[0].members.map((m: any) => m.id);
    expect(members.sort()).toEqual(children.map((c) => c.id).sort());
  });
});

describe('a data file of format 1 (organizations without memberIds)', () => {
  it("is served with each organization's members derived from the customers' parentId, in file order", async () => {
    const customer = (id: string, parentId?: string) => ({
      id,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      legalName: `C ${id}`,
      address: { line1: '1 High St', town: 'London', postcode: 'EC1A 1BB', country: 'GB' as const },
      taxStatus: 'TAXED' as const,
      status: 'ACTIVE' as const,
      aliases: [],
      contacts: [],
      integrationIds: [],
      ...(parentId && { parentId }),
    });
    const v1 = {
      customers: [customer('p'), customer('b', 'p'), customer('a', 'p'), customer('x')],
      organizations: [{ id: 'org-p', ownerId: 'p' }],
    };
    // Read as every format-1 file or fixture is: through the upgrade to the current format.
    const store = new MemoryStore({ initial: upgradePartition(v1) });
    const { app: served } = makeApp({ store });
    const auth = basic('format-1');
    const owner = expectCustomer(await request(served).get('/customers/p').set('Authorization', auth), 200);
    expect(owner.organizations).toEqual([
      {
        id: 'org-p',
        owner: { id: 'p', name: 'C p' },
        members: [
          { id: 'b', name: 'C b' },
          { id: 'a', name: 'C a' },
        ],
      },
    ]);
    const member = expectCustomer(await request(served).get('/customers/a').set('Authorization', auth), 200);
    expect(member.organizations.map((o: { id: string }) => o.id)).toEqual(['org-p']);
    expect(expectCustomer(await request(served).get('/customers/x').set('Authorization', auth), 200).organizations).toEqual([]);
  });
});
