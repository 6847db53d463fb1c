import { expect } from 'chai';
import { axeViolations } from './axe.js';

describe('the accessibility check', () => {
  it('reports what is wrong: it is not a check that always passes', async () => {
    const bad = document.createElement('div');
    bad.innerHTML = '<button></button><img src="data:,">';
    document.body.append(bad);
    const violations = await axeViolations(bad);
    bad.remove();
    expect(violations.some((v) => v.startsWith('button-name'))).to.equal(true);
    expect(violations.some((v) => v.startsWith('image-alt'))).to.equal(true);
  });
});
