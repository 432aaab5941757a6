import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personalizationAllowed, profileForMessage } from '../engine/profile/personalization';
import type { Profile } from '../engine/profile/profile';
import { renderMessage } from '../engine/template/message';

describe('the personalization purpose', () => {
  const ada: Profile = {
    customerId: 'c-ada',
    email: 'ada@example.test',
    phone: '+46701234567',
    firstName: 'Ada',
    loyaltyTier: 'gold',
    attributes: { favouriteCategory: 'boots' },
    tags: ['vip'],
    consents: { email: { marketing: true, personalization: false } },
  };

  it('is allowed unless withdrawn, per channel', () => {
    assert.equal(personalizationAllowed(ada, 'email'), false);
    assert.equal(personalizationAllowed(ada, 'sms'), true);
    assert.equal(personalizationAllowed({ customerId: 'c-new' }, 'email'), true);
  });

  it('withdrawn, a template reads identity and contact fields but nothing profiled', () => {
    const template = {
      subject: 'Hi {{profile.firstName}}',
      text: 'Tier: {{profile.loyaltyTier}}. You like {{profile.attributes.favouriteCategory}}.',
    };
    const email = renderMessage(template, { profile: profileForMessage(ada, 'email') }).email;
    assert.equal(email?.subject, 'Hi Ada');
    assert.equal(email?.text, 'Tier: . You like .');
    const sms = renderMessage(template, { profile: profileForMessage(ada, 'sms') }).email;
    assert.equal(sms?.text, 'Tier: gold. You like boots.');
  });
});
