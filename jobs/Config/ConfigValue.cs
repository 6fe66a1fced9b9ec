namespace Pipeline.Jobs.Config;

/// <summary>One raw value before validation and where it came from ("pipeline.yaml:12", "env PIPELINE_VAULT", "--calc-cron").</summary>
internal sealed record ConfigValue(string? Scalar, IReadOnlyList<string>? List, string Source);
