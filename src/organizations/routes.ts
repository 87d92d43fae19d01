// HTTP for /customer-organizations, thin: request -> service -> present -> response.
import { OperationRouter } from '../http/operation-router.js';
import { type Request, type Response } from 'express';
import { presentOrganization } from '../customers/present.js';
import { committer, found, notFound } from '../http/respond.js';
import type { ServiceDeps } from '../customers/service.js';
import type { Store } from '../store/types.js';
import * as service from './service.js';

export function organizationRoutes(store: Store, deps: ServiceDeps): OperationRouter {
  const router = new OperationRouter();
  const sendCommitted = committer(store);
  const partitionOf = (res: Response) => store.partition(res.locals.clientId);
  type Params = Record<string, string>;

  router.post('/customer-organizations', async function postCustomerOrganizations(req: Request, res: Response) {
    const partition = partitionOf(res);
    const organization = service.createOrganization(partition, req.body as service.OrganizationRequest, deps);
    await sendCommitted(res, 201, presentOrganization(organization, partition));
  });

  const members = (replace: boolean) =>
    async function members(req: Request<Params>, res: Response) {
      const id = req.params.id!;
      const partition = partitionOf(res);
      const organization = found(service.changeMembers(partition, id, req.body as service.MembersRequest, replace), () =>
        notFound('customer organization', '/path/id', id),
      );
      await sendCommitted(res, 200, presentOrganization(organization, partition));
    };
  router.post('/customer-organizations/:id/members', members(false)); // postCustomerOrganizationsByIdMembers
  router.put('/customer-organizations/:id/members', members(true)); // putCustomerOrganizationsByIdMembers

  return router;
}
