namespace CareLedger.Node.Tests;

/// <summary>A test class that gets its own node on 127.0.0.1 with a fresh data directory, removed afterwards.</summary>
public abstract class NodeTest : IAsyncLifetime
{
    protected InProcessNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await InProcessNode.StartAsync();

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
    }
}
