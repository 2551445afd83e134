namespace CareLedger.Node.Tests;

public sealed class MerkleCliTests : IDisposable
{
    private static readonly string[] Leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
    private readonly string _file = Path.GetTempFileName();

    public MerkleCliTests() => File.WriteAllLines(_file, Leaves);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Root_prints_the_RFC_6962_root()
    {
        var (exit, output, _) = await CliRunner.Run(["merkle", "root", .. Leaves]);
        Assert.Equal(0, exit);
        Assert.Equal("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", output.Trim());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", (await CliRunner.Run("merkle", "root")).Out.Trim());
    }

    [Fact]
    public async Task Proofs_printed_by_prove_commands_verify_with_the_verify_commands()
    {
        var (exit, output, _) = await CliRunner.Run("merkle", "prove-inclusion", "--index", "5", "--leaves", _file);
        Assert.Equal(0, exit);
        var proof = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"], proof);
        const string leaf5 = "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658";
        const string root = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
        Assert.Equal(0, (await CliRunner.Run("merkle", "verify-inclusion", "--leaf-hash", leaf5, "--index", "5", "--size", "8", "--root", root, "--proof", string.Join(',', proof))).Exit);
        Assert.Equal(1, (await CliRunner.Run("merkle", "verify-inclusion", "--leaf-hash", leaf5, "--index", "4", "--size", "8", "--root", root, "--proof", string.Join(',', proof))).Exit);
        Assert.Equal(1, (await CliRunner.Run("merkle", "verify-inclusion", "--leaf-hash", leaf5, "--index", "9", "--size", "8", "--root", root)).Exit);

        var consistency = (await CliRunner.Run("merkle", "prove-consistency", "--size1", "6", "--leaves", _file)).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        const string root6 = "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef";
        Assert.Equal(0, (await CliRunner.Run("merkle", "verify-consistency", "--size1", "6", "--size2", "8", "--root1", root6, "--root2", root, "--proof", string.Join(',', consistency))).Exit);
        var (bad, _, reason) = await CliRunner.Run("merkle", "verify-consistency", "--size1", "6", "--size2", "8", "--root1", root, "--root2", root, "--proof", string.Join(',', consistency));
        Assert.Equal(1, bad);
        Assert.Contains("invalid", reason);
    }

    [Theory]
    [InlineData("merkle", "root", "zz")]
    [InlineData("merkle", "verify-inclusion", "--leaf-hash", "abcd", "--index", "0", "--size", "1", "--root", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    [InlineData("merkle", "verify-inclusion", "--leaf-hash", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", "--index", "x", "--size", "1", "--root", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    [InlineData("merkle", "verify-consistency", "--size1", "1", "--size2", "2", "--root1", "00", "--root2", "00")]
    [InlineData("merkle", "prove-inclusion", "--index", "0", "--leaves", "/no/such/file")]
    [InlineData("merkle", "unknown-command")]
    public async Task Malformed_input_exits_2(params string[] args)
    {
        Assert.Equal(2, (await CliRunner.Run(args)).Exit);
    }

    [Fact]
    public async Task Proving_outside_the_tree_is_malformed_input()
    {
        Assert.Equal(2, (await CliRunner.Run("merkle", "prove-inclusion", "--index", "8", "--leaves", _file)).Exit);
        Assert.Equal(2, (await CliRunner.Run("merkle", "prove-consistency", "--size1", "0", "--leaves", _file)).Exit);
    }
}
