import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../support/default-app';

describe('the collector image at synth', () => {
  test("the example app's prod (as cdk.json ships it), pinned by tag alone, synthesizes with a warning on its platform stack", () => {
    const { platforms } = buildTestApp({ selection: 'prod', compliance: false, collectorImageWarning: true });
    Annotations.fromStack(platforms[0]).hasWarning(
      '*',
      Match.stringLikeRegexp('^cdk\\.json: environments\\.prod\\.collector\\.image: .* is a tag without a digest'),
    );
  });

  test('dev, not production, gets no such warning', () => {
    const { platforms } = buildTestApp({ selection: 'dev', compliance: false, collectorImageWarning: true });
    Annotations.fromStack(platforms[0]).hasNoWarning('*', Match.stringLikeRegexp('collector\\.image'));
  });
});
