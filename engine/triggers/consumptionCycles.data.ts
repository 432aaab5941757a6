/**
 * How many days one unit of a consumable typically lasts, by order-item category: the last resort
 * of a replenishment estimate, when neither the customer nor the product's other buyers have
 * reordered yet. A category missing here is not treated as consumable: a single purchase of a
 * jacket never schedules a "running out" reminder. Merchandising owns these numbers.
 */
export const CONSUMPTION_CYCLE_DAYS: Readonly<Record<string, number>> = {
  coffee: 30,
  tea: 45,
  'pet-food': 30,
  'cat-litter': 21,
  'baby-formula': 14,
  diapers: 21,
  vitamins: 30,
  supplements: 30,
  'protein-powder': 30,
  skincare: 60,
  haircare: 45,
  'razor-blades': 30,
  'contact-lenses': 30,
  'laundry-detergent': 45,
  'cleaning-supplies': 60,
  'printer-ink': 90,
  'water-filters': 60,
};
