using Microsoft.Extensions.Configuration;

namespace CareLedger.Node.Tests;

public class NodeOptionsTests
{
    [Theory]
    [InlineData(new string[0], 262_144)]
    [InlineData(new[] { "--consensus", "raft" }, 65_536)]
    [InlineData(new[] { "--checkpoint-pages", "1000" }, 1_000)]
    [InlineData(new[] { "--consensus", "raft", "--checkpoint-pages", "1000" }, 1_000)]
    public void The_checkpoint_interval_defaults_by_consensus_and_follows_the_switch(string[] args, int pages)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args, NodeOptions.Switches).Build();
        Assert.Equal(pages, NodeOptions.From(configuration).EffectiveCheckpointPages);
    }

    [Theory]
    [InlineData(new string[0], 0)]
    [InlineData(new[] { "--consensus", "raft" }, 0)]
    [InlineData(new[] { "--block-max-wait-ms", "7" }, 7)]
    [InlineData(new[] { "--consensus", "raft", "--block-max-wait-ms", "3" }, 3)]
    public void Solo_nodes_and_consortium_leaders_commit_in_groups_unless_told(string[] args, int milliseconds)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args, NodeOptions.Switches).Build();
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), NodeOptions.From(configuration).BlockCut.MaxWait);
    }

    [Fact]
    public void A_checkpoint_interval_below_one_page_is_refused_by_name()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(["--checkpoint-pages", "0"], NodeOptions.Switches).Build();
        var refused = Assert.Throws<FormatException>(() => NodeOptions.From(configuration));
        Assert.Contains("--checkpoint-pages", refused.Message);
    }
}
