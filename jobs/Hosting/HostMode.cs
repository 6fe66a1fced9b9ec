namespace Pipeline.Jobs.Hosting;

/// <summary><c>pipeline run</c> hosts exporters and the schedule; <c>pipeline schedule</c> only the schedule.</summary>
public enum HostMode
{
    Run,
    Schedule,
}
