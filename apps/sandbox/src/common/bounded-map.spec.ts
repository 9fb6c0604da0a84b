import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('forgets the oldest entries beyond its limit, telling whoever needs to clean up', () => {
    const forgotten: string[] = [];
    const map = new BoundedMap<string, string>(2, (value) => forgotten.push(value));
    map.set('a', 'first').set('b', 'second').set('c', 'third');

    expect([...map.keys()]).toEqual(['b', 'c']);
    expect(forgotten).toEqual(['first']);
  });

  it('keeps a replaced entry without forgetting anything', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 3);

    expect([...map.entries()]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });
});
