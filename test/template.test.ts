import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JourneyEvent } from '../schemas/events/schema';
import type { Profile } from '../engine/profile/profile';
import {
  TemplateSyntaxError,
  parseTemplate,
  referencedPaths,
  renderTemplate,
  type TemplateContext,
} from '../engine/template';

const trigger: JourneyEvent = {
  eventId: 'e-1',
  type: 'cart.updated',
  customerId: 'c-1',
  occurredAt: '2026-11-21T10:15:00Z',
  data: {
    cartId: 'cart-1',
    currency: 'EUR',
    items: [
      { sku: 'SKU-1', name: 'Mug <"Tea"> & Co', quantity: 2, price: 19.5 },
      { sku: 'SKU-2', name: "Tom's Plate", quantity: 1, price: 1234.5 },
    ],
    cartUrl: 'https://shop.example/cart?id=1&x=2',
  },
};
const profile: Profile = { customerId: 'c-1', firstName: 'Ana', tags: ['vip', 'eu'] };
const context: TemplateContext = { trigger, profile };
const none = { escape: 'none' } as const;
const html = { escape: 'html' } as const;

describe('template rendering', () => {
  it('inserts values from trigger, profile and offer', () => {
    const out = renderTemplate(
      'Hi {{profile.firstName}}, cart {{ trigger.data.cartId }} ({{offer.code}})',
      {
        ...context,
        offer: {
          offerId: 'o-1',
          kind: 'discount',
          title: '10%',
          code: 'SAVE10',
          contextKey: 'none',
          scores: {
            engagement: 0.05,
            value: 10,
            expectedValue: 0.5,
            explored: false,
            eligible: 1,
            considered: 1,
          },
          rejected: {},
          reasons: [],
        },
      },
      none,
    );
    assert.equal(out, 'Hi Ana, cart cart-1 (SAVE10)');
  });

  it('escapes every inserted value in html, and nothing elsewhere', () => {
    const source = '<p>{{trigger.data.items.0.name}}</p><a href="{{trigger.data.cartUrl}}">go</a>';
    assert.equal(
      renderTemplate(source, context, html),
      '<p>Mug &lt;&quot;Tea&quot;&gt; &amp; Co</p><a href="https://shop.example/cart?id=1&amp;x=2">go</a>',
    );
    assert.equal(
      renderTemplate(source, context, none),
      '<p>Mug <"Tea"> & Co</p><a href="https://shop.example/cart?id=1&x=2">go</a>',
    );
    assert.equal(
      renderTemplate('{{#each trigger.data.items}}{{this.name}};{{/each}}', context, html),
      'Mug &lt;&quot;Tea&quot;&gt; &amp; Co;Tom&#39;s Plate;',
    );
  });

  it('never lets a value that is not http(s) choose where a link in html goes', () => {
    const hostile = [
      'javascript:alert(document.cookie)//',
      ' JavaScript:alert(1)',
      'data:text/html,<b>x',
      'vbscript:x',
      '//evil.example/x',
      'shop.example/cart',
      'https://shop.example/x onmouseover=alert(1)',
    ];
    const customer = (site: string): TemplateContext => ({
      ...context,
      profile: { ...profile, attributes: { site } },
    });
    const sources = [
      '<a href="{{profile.attributes.site}}">site</a>',
      "<a class='x' HREF = '{{profile.attributes.site}}'>site</a>",
      '<a href={{profile.attributes.site}}>site</a>',
      '<img alt="" src="{{profile.attributes.site}}">',
      '<a href="{{profile.firstName}}{{profile.attributes.site}}">site</a>',
      '<a href="{{#if profile.firstName}}{{profile.attributes.site}}{{/if}}">site</a>',
      '<a href="{{#each trigger.data.items}}{{#if @index}}{{else}}{{profile.attributes.site}}{{/if}}{{/each}}">x</a>',
    ];
    for (const source of sources) {
      for (const site of hostile) {
        const out = renderTemplate(source, customer(site), html);
        assert.ok(
          !/script:|data:|\/\/evil|shop\.example\/(cart|x)|onmouseover/i.test(out),
          `${source} with ${site}: ${out}`,
        );
      }
      // An http(s) value is a link as before.
      assert.match(
        renderTemplate(source, customer('https://shop.example/a?b=1&c=2'), html),
        /https:\/\/shop\.example\/a\?b=1&amp;c=2/,
      );
    }
    // Where the author wrote the scheme (or a path), a value only fills in the rest of the link.
    assert.equal(
      renderTemplate(
        '<a href="https://shop.example/p/{{profile.attributes.site}}">p</a>',
        customer('javascript:x'),
        html,
      ),
      '<a href="https://shop.example/p/javascript:x">p</a>',
    );
    // Outside links the same value is just text, escaped; and text bodies have no links to guard.
    assert.equal(
      renderTemplate(
        '<p title="{{profile.attributes.site}}">{{profile.attributes.site}}</p>',
        customer('javascript:x'),
        html,
      ),
      '<p title="javascript:x">javascript:x</p>',
    );
    assert.equal(
      renderTemplate('Site: {{profile.attributes.site}}', customer('javascript:x'), none),
      'Site: javascript:x',
    );
  });

  it('loops with #each, exposing this and @index, and nests #if/else inside', () => {
    const source =
      '{{#each trigger.data.items}}{{@index}}:{{this.sku}}' +
      '{{#if this.category}}[{{this.category}}]{{else}}[none]{{/if}}' +
      '{{#each profile.tags}}<{{this}}>{{/each}};{{/each}}';
    assert.equal(renderTemplate(source, context, none), '0:SKU-1[none]<vip><eu>;1:SKU-2[none]<vip><eu>;');
  });

  it('treats empty lists and missing values as false in #if, and uses #each … else for empty lists', () => {
    const empty: TemplateContext = { trigger: { ...trigger, data: { ...trigger.data, items: [] } } };
    assert.equal(renderTemplate('{{#if trigger.data.items}}some{{else}}none{{/if}}', empty, none), 'none');
    assert.equal(renderTemplate('{{#if trigger.data.items}}some{{else}}none{{/if}}', context, none), 'some');
    assert.equal(renderTemplate('{{#if profile.lastName}}x{{else}}no name{{/if}}', context, none), 'no name');
    assert.equal(renderTemplate('{{#each trigger.data.items}}x{{else}}empty{{/each}}', empty, none), 'empty');
  });

  it('formats money with the currency from a path or a literal code', () => {
    const source = '{{#each trigger.data.items}}{{this.price | money:trigger.data.currency}} {{/each}}';
    assert.equal(renderTemplate(source, context, none), '€19.50 €1,234.50 ');
    assert.equal(renderTemplate('{{trigger.data.items.0.price | money:USD}}', context, none), '$19.50');
    assert.equal(
      renderTemplate('{{trigger.data.items.0.price | money:profile.country}}', context, none),
      '19.50',
    );
    assert.equal(renderTemplate('{{trigger.data.nothing | money:EUR}}', context, none), '');
  });

  it('formats dates in UTC and changes case', () => {
    assert.equal(renderTemplate('{{trigger.occurredAt | date}}', context, none), '21 Nov 2026');
    assert.equal(
      renderTemplate('{{profile.firstName | upper}} {{trigger.data.currency | lower}}', context, none),
      'ANA eur',
    );
    assert.equal(renderTemplate('{{profile.firstName | lower | upper}}', context, none), 'ANA');
    assert.equal(
      renderTemplate('{{trigger.data.cartId | date}}', context, none),
      'cart-1',
      'not a date: as is',
    );
  });

  it('renders missing values, missing context parts and objects as empty text', () => {
    assert.equal(
      renderTemplate(
        '[{{profile.lastName}}][{{offer.code}}][{{trigger.data}}][{{trigger.constructor}}]',
        context,
        none,
      ),
      '[][][][]',
    );
    assert.equal(renderTemplate('[{{trigger.data.cartId}}]', {}, none), '[]');
    assert.equal(renderTemplate('{{profile.tags}}', context, none), 'vip, eu');
  });

  it('drops the lines of block tags standing alone, so text emails have no stray blank lines', () => {
    const source = [
      'Your cart:',
      '{{#each trigger.data.items}}',
      '  - {{this.quantity}} × {{this.name}}',
      '{{/each}}',
      '{{#if trigger.data.cartUrl}}',
      'Checkout: {{trigger.data.cartUrl}}',
      '{{/if}}',
      'Bye',
    ].join('\n');
    assert.equal(
      renderTemplate(source, context, none),
      [
        'Your cart:',
        '  - 2 × Mug <"Tea"> & Co',
        "  - 1 × Tom's Plate",
        'Checkout: https://shop.example/cart?id=1&x=2',
        'Bye',
      ].join('\n'),
    );
    assert.equal(renderTemplate('a {{#if profile.firstName}}b{{/if}} c', context, none), 'a b c');
    assert.equal(renderTemplate('{{! a note for the team }}Hi', context, none), 'Hi');
  });
});

describe('template syntax errors', () => {
  const cases: [string, string, number, number][] = [
    ['Hi {{#each trigger.data.items}}x', '{{#each trigger.data.items}} is never closed', 1, 4],
    [
      '{{#if profile.email}}\n  {{/each}}',
      '{{/each}} closes {{#if profile.email}} (opened at line 1, column 1)',
      2,
      3,
    ],
    ['a {{/if}}', '{{/if}} has no matching {{#if …}}', 1, 3],
    ['{{#with profile}}{{/with}}', 'unknown tag {{#with profile}}', 1, 1],
    ['{{profile.firstName | shout}}', 'unknown filter "shout"', 1, 1],
    ['{{price | money:EUR}}', '"price" is not a variable', 1, 1],
    ['x {{this.name}}', 'this only means something inside {{#each …}}', 1, 3],
    ['{{profile.firstName', 'never closed with }}', 1, 1],
    ['{{trigger.data.items.0.price | money}}', 'money needs a currency', 1, 1],
    ['{{#if profile.email}}a{{else}}b{{else}}c{{/if}}', 'a second {{else}}', 1, 32],
    ['{{else}}', '{{else}} outside', 1, 1],
    ['{{{profile.firstName}}}', 'triple braces', 1, 1],
  ];
  for (const [source, reason, line, column] of cases) {
    it(`rejects ${JSON.stringify(source)}`, () => {
      assert.throws(
        () => parseTemplate(source),
        (error: unknown) => {
          assert.ok(error instanceof TemplateSyntaxError);
          assert.ok(error.message.includes(reason), error.message);
          assert.deepEqual([error.line, error.column], [line, column], error.message);
          assert.ok(error.message.startsWith(`line ${line}, column ${column}: `));
          return true;
        },
      );
    });
  }
});

describe('referenced paths', () => {
  it('anchors this inside #each to the list and reads list positions as any item', () => {
    const ast = parseTemplate(
      '{{profile.firstName}} {{#each trigger.data.items}}{{this.name}} {{this.price | money:trigger.data.currency}}' +
        '{{#if offer.code}}{{@index}}{{/if}}{{/each}} {{trigger.data.items.0.sku}} {{profile.firstName}}',
    );
    assert.deepEqual(referencedPaths(ast), [
      'profile.firstName',
      'trigger.data.items',
      'trigger.data.items[].name',
      'trigger.data.items[].price',
      'trigger.data.currency',
      'offer.code',
      'trigger.data.items[].sku',
    ]);
  });

  it('resolves nested loops', () => {
    const ast = parseTemplate('{{#each trigger.data.items}}{{#each this.tags}}{{this}}{{/each}}{{/each}}');
    assert.deepEqual(referencedPaths(ast), [
      'trigger.data.items',
      'trigger.data.items[].tags',
      'trigger.data.items[].tags[]',
    ]);
  });
});
