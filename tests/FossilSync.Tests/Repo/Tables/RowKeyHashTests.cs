using FossilSync.Repo.Tables;

namespace FossilSync.Tests.Repo.Tables;

/// <summary>
/// Test vectors for the primary-key hash, each computed outside .NET from the rule in
/// RowKeyHash (TAG ":" LEN ":" VALUE "\n" per key column, SHA1), by the shell command in its comment.
/// </summary>
public sealed class RowKeyHashTests
{
    private static string Hash(ColumnType type, object value) =>
        RowKeyHash.Compute(new TableDefinition("t", [new TableColumn("k", type)], ["k"]), [value]);

    [Fact]
    public void Integer_keys_hash_their_decimal_digits()
    {
        // printf 'i:2:42\n' | sha1sum
        Hash(ColumnType.Integer, 42L).Should().Be("4848a2c07bbe24923fba6bd06348fcf18bb4269b");
        // printf 'i:2:-7\n' | sha1sum
        Hash(ColumnType.Integer, -7L).Should().Be("e303ff6023d328ca5d3d0164b4fe7c6c4888e84b");
    }

    [Fact]
    public void An_integer_above_2_pow_53_keeps_every_digit()
    {
        // printf 'i:16:9007199254740993\n' | sha1sum   (2^53 + 1: a double would make it ...992)
        Hash(ColumnType.Integer, 9007199254740993L).Should().Be("cd4533a68e97640e6bd9559e68ffd853e7bc612d");
    }

    [Fact]
    public void Real_keys_hash_their_bits_and_negative_zero_is_zero()
    {
        // printf 'r:16:3ff8000000000000\n' | sha1sum
        Hash(ColumnType.Real, 1.5).Should().Be("eda2cd0e15afc6a2531b37dfff14431342061a35");
        // printf 'r:16:0000000000000000\n' | sha1sum
        Hash(ColumnType.Real, -0.0).Should().Be("a531073e30cdcd0935f5604b3780a35a75929fa1");
        Hash(ColumnType.Real, 0.0).Should().Be("a531073e30cdcd0935f5604b3780a35a75929fa1");
    }

    [Fact]
    public void Text_and_blob_keys_hash_their_bytes()
    {
        // printf 't:6:h\xc3\xa9llo\n' | sha1sum
        Hash(ColumnType.Text, "héllo").Should().Be("54ef008a510b0ebffe7aeb58c451092d62a848d9");
        // printf 'b:3:\x00\x01\x02\n' | sha1sum
        Hash(ColumnType.Blob, new byte[] { 0, 1, 2 }).Should().Be("f8c4c838e1610e425c6ffb152f40ee4037af83e4");
    }

    [Fact]
    public void A_composite_key_hashes_its_columns_in_key_order()
    {
        var definition = new TableDefinition("t", [new TableColumn("n", ColumnType.Integer), new TableColumn("who", ColumnType.Text)], ["who", "n"]);
        // printf 't:5:alice\ni:1:3\n' | sha1sum
        RowKeyHash.Compute(definition, [3L, "alice"]).Should().Be("553260a67986a0d3f3767d974e0db8e3a34b9fb7");
    }
}
