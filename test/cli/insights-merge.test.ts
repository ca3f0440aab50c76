import { DEFAULT_INSIGHTS_LIMIT, mergePlan, mergeRows } from '../../lib/cli/insights-merge';
import { savedQueries } from '../../lib/logs/queries';

describe('which saved queries merge across batches of log groups', () => {
  const queries = savedQueries('starmates-ai-team', 'prod');

  test('the record-keeping queries merge; the aggregating ones (stats) do not', () => {
    const mergeable = queries.filter((query) => mergePlan(query.queryString) !== undefined).map((query) => query.title);
    expect(mergeable).toEqual([
      'Tracking ID correlation',
      'Errors with trace context',
      'Requests slower than 1 s',
      'Request by tracking ID',
    ]);
  });

  test('a merge follows the query’s last sort and limit', () => {
    const slow = queries.find((query) => query.title === 'Requests slower than 1 s');
    expect(mergePlan(slow?.queryString ?? '')).toEqual({
      order: { field: 'request.duration', descending: true },
      limit: 50,
    });
  });
});

describe('mergePlan', () => {
  test('without limit, Insights’ default of 1000 rows', () => {
    expect(mergePlan('fields @timestamp\n| sort @timestamp asc')).toEqual({
      order: { field: '@timestamp', descending: false },
      limit: DEFAULT_INSIGHTS_LIMIT,
    });
  });

  test('a sort without asc or desc does not merge: the reference does not say which is the default', () => {
    expect(mergePlan('fields @timestamp\n| sort @timestamp\n| limit 10')).toBeUndefined();
  });

  test('dedup does not merge', () => {
    expect(mergePlan('fields service\n| dedup service')).toBeUndefined();
  });

  test('a comment after a command is not part of it', () => {
    expect(mergePlan('filter level = "ERROR" # errors only\n| sort @timestamp desc # newest first\n| limit 5')).toEqual(
      {
        order: { field: '@timestamp', descending: true },
        limit: 5,
      },
    );
  });
});

describe('mergeRows', () => {
  test('numbers order by value, not as text', () => {
    const rows = mergeRows([[{ d: '9.5' }], [{ d: '10.25' }, { d: '2' }]], {
      order: { field: 'd', descending: true },
      limit: 10,
    });
    expect(rows).toEqual([{ d: '10.25' }, { d: '9.5' }, { d: '2' }]);
  });

  test('ascending, text before numbers and rows without the field last, as Insights sorts', () => {
    const rows = mergeRows(
      [
        [{ d: '3' }, { other: 'x' }],
        [{ d: 'abc' }, { d: '1' }],
      ],
      {
        order: { field: 'd', descending: false },
        limit: 10,
      },
    );
    expect(rows).toEqual([{ d: 'abc' }, { d: '1' }, { d: '3' }, { other: 'x' }]);
  });

  test('timestamps order across batches and the limit cuts the union', () => {
    const rows = mergeRows(
      [
        [{ '@timestamp': '2025-01-31 10:30:45.300' }, { '@timestamp': '2025-01-31 10:30:45.100' }],
        [{ '@timestamp': '2025-01-31 10:30:45.200' }],
      ],
      { order: { field: '@timestamp', descending: true }, limit: 2 },
    );
    expect(rows).toEqual([{ '@timestamp': '2025-01-31 10:30:45.300' }, { '@timestamp': '2025-01-31 10:30:45.200' }]);
  });

  test('without a sort, batch order is kept', () => {
    expect(mergeRows([[{ a: '2' }], [{ a: '1' }]], { limit: 10 })).toEqual([{ a: '2' }, { a: '1' }]);
  });
});
