import { routeOf } from './routes';

describe('routeOf', () => {
  it('opens the screens the service links to: the activation link and the push’s approval screen', () => {
    expect(routeOf({ pathname: '/app/activate', search: '?code=ac_123' })).toEqual({ screen: 'activate', code: 'ac_123' });
    expect(routeOf({ pathname: '/app/challenges/5d3a3e10-b511-42cd-b9b6-1f2a5701ba98', search: '' })).toEqual({
      screen: 'challenge',
      sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
    });
    expect(routeOf({ pathname: '/app/device/', search: '' })).toEqual({ screen: 'device' });
  });

  it('shows the list of purchases for the app’s root and any path it does not know', () => {
    expect(routeOf({ pathname: '/app/', search: '' })).toEqual({ screen: 'home' });
    expect(routeOf({ pathname: '/app/whatever/else', search: '' })).toEqual({ screen: 'home' });
  });

  it('knows an activation link without a code, so it can say what is wrong', () => {
    expect(routeOf({ pathname: '/app/activate', search: '' })).toEqual({ screen: 'activate', code: null });
  });
});
