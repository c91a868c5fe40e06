using Scalegram.Bench;
using Scalegram.Cli;

namespace Scalegram.Tests.Bench;

public sealed class BenchSettingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("45", 45)]
    [InlineData("00:01:30", 90)]
    public void Durations_read_as_people_write_them(string text, double seconds)
    {
        Assert.True(BenchDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, tolerance: 1e-9);
    }

    [Theory]
    [InlineData("ftp://x", "200", "30s", "100", "mixed", "--url")]
    [InlineData("http://127.0.0.1:8080", "fast", "30s", "100", "mixed", "--rate")]
    [InlineData("http://127.0.0.1:8080", "-5", "30s", "100", "mixed", "--rate")]
    [InlineData("http://127.0.0.1:8080", "200", "thirty", "100", "mixed", "--duration")]
    [InlineData("http://127.0.0.1:8080", "200", "30s", "1", "mixed", "--users")]
    [InlineData("http://127.0.0.1:8080", "200", "30s", "100", "write-heavy", "--workload")]
    public void Bad_options_are_refused_with_a_message_naming_the_option(string url, string rate, string duration, string users, string workload, string option)
    {
        var (settings, error) = BenchSettings.Parse(url, rate, duration, users, workload, null, Now);
        Assert.Null(settings);
        Assert.StartsWith(option, error);
    }

    [Fact]
    public void Good_options_parse_with_a_default_output_directory()
    {
        var (settings, error) = BenchSettings.Parse("http://127.0.0.1:18080", "200", "30s", "100", "mixed", null, Now);
        Assert.Null(error);
        Assert.Equal(200, settings!.Rate);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Duration);
        Assert.EndsWith(Path.Combine("bench-results", "mixed-20261125-100000"), settings.OutDirectory);
    }

    [Theory]
    [InlineData("bench", "--rate", "lots")]
    [InlineData("bench", "--workload", "nope")]
    [InlineData("bench", "--duration", "0s")]
    [InlineData("bench", "--frobnicate")]
    [InlineData("bench", "--compare", "only-one.json")]
    [InlineData("bench", "--compare", "missing-a.json", "missing-b.json")]
    public async Task The_command_exits_with_code_2_on_bad_options(params string[] args)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await ScalegramCli.Create().Parse(args).InvokeAsync());
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.NotEmpty(error.ToString().Trim());
    }
}
