using Scalegram.Bench;

namespace Scalegram.Tests.Bench;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Percentiles_of_a_known_spread_are_exact_to_the_histograms_precision()
    {
        var recorder = new LatencyRecorder();
        for (var ms = 1; ms <= 1000; ms++)
        {
            recorder.Sending(0);
            recorder.Record(0, "read", TimeSpan.FromMilliseconds(ms), error: null);
        }

        var p = recorder.Overall();
        Assert.Equal(1000, p.Count);
        Assert.Equal(500, p.P50, tolerance: 0.5);
        Assert.Equal(900, p.P90, tolerance: 0.9);
        Assert.Equal(990, p.P99, tolerance: 1.0);
        Assert.Equal(999, p.P999, tolerance: 1.0);
        Assert.Equal(1000, p.Max, tolerance: 1.0);
        Assert.Equal(500.5, p.Mean, tolerance: 0.5);
    }

    [Fact]
    public void One_slow_request_in_a_hundred_sets_the_p99_and_max_but_not_the_median()
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < 99; i++)
        {
            recorder.Record(0, "read", TimeSpan.FromMilliseconds(2), null);
        }

        recorder.Record(0, "read", TimeSpan.FromSeconds(3), null);
        var p = recorder.Overall();
        Assert.Equal(2, p.P50, tolerance: 0.01);
        Assert.Equal(2, p.P99, tolerance: 0.01);
        Assert.Equal(3000, p.P999, tolerance: 3);
        Assert.Equal(3000, p.Max, tolerance: 3);
    }

    [Fact]
    public void Outcomes_are_counted_per_second_per_operation_and_by_error_kind()
    {
        var recorder = new LatencyRecorder();
        recorder.Sending(0);
        recorder.Sending(0);
        recorder.Sending(2);
        recorder.Record(0, "feed", TimeSpan.FromMilliseconds(5), null);
        recorder.Record(0, "like", TimeSpan.FromMilliseconds(7), "like: HTTP 500");
        recorder.Record(2, "feed", TimeSpan.FromMilliseconds(9), null);

        Assert.Equal((3L, 2L, 1L), (recorder.Sent, recorder.Ok, recorder.Errors));
        var seconds = recorder.PerSecond();
        Assert.Equal(3, seconds.Count);
        Assert.Equal((2L, 1L, 1L), (seconds[0].Sent, seconds[0].Ok, seconds[0].Errors));
        Assert.Null(seconds[1].P50);
        Assert.Equal(9, seconds[2].P99!.Value, tolerance: 0.1);
        var ops = recorder.Operations();
        Assert.Equal(2, ops["feed"].Ok);
        Assert.Equal(1, ops["like"].Errors);
        Assert.Equal(1, recorder.ErrorKinds()["like: HTTP 500"]);
    }

    [Fact]
    public void An_empty_run_reports_zeros_not_an_exception()
    {
        var p = new LatencyRecorder().Overall();
        Assert.Equal(0, p.Count);
        Assert.Equal(0, p.P99);
    }
}
