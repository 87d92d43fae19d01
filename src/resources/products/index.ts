// Products and their prices (docs/resources/products.md), over the generic collections they are
// stored in: what the document says in prose.
//   - A price names a product of this account (a 400 naming /body/productId otherwise), and not an
//     archived one: "Once archived, new prices cannot be created for the product."
//   - Archived list prices leave GET /list-prices unless includeArchived=true (the engine does this
//     for every list documenting that parameter).
import type { Violation } from '../../engine/errors.js';
import type { CollectionRules, Plugin } from '../../engine/plugin.js';
import { named } from '../../engine/store/types.js';

const PRODUCTS = named('/products');

const prices: CollectionRules = {
  check(body, partition, existing): Violation[] {
    if (typeof body.productId !== 'string' || body.productId === existing?.productId) return [];
    const product = partition.get(PRODUCTS, body.productId);
    if (!product) return [{ path: '/body/productId', message: `no product with id ${body.productId} in this account` }];
    if (product.archivedAt !== undefined)
      return [{ path: '/body/productId', message: `product ${body.productId} is archived: no new prices can be created for it` }];
    return [];
  },
};

export const products: Plugin = {
  name: 'products',
  tags: ['Products', 'Prices', 'List Prices'],
  page: 'docs/resources/products.md',
  rules: { '/prices': prices },
};
