namespace Scalegram.Observability.Charts;

/// <summary>One named series of a chart: a value per x position (or per category); NaN or infinity leaves a gap.</summary>
internal sealed record ChartSeries(string Label, IReadOnlyList<double> Values);
