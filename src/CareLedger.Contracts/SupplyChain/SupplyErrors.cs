namespace CareLedger.Contracts.SupplyChain;

/// <summary>Stable rejection codes of the supply chain contract.</summary>
public static class SupplyErrors
{
    public const string NotAuthorised = "supply.not_authorised";
    public const string BadGtin = "supply.bad_gtin";
    public const string BadArguments = "supply.bad_args";
    public const string ProductExists = "supply.product_exists";
    public const string UnknownProduct = "supply.unknown_product";
    public const string UnitExists = "supply.unit_exists";
    public const string UnknownUnit = "supply.unknown_unit";
    public const string TooManyUnits = "supply.too_many_units";
    public const string NotOwner = "supply.not_owner";
    public const string NotSaleable = "supply.not_saleable";
    public const string UnknownShipment = "supply.unknown_shipment";
    public const string NotShipped = "supply.not_shipped";
    public const string NotReceiver = "supply.not_receiver";
    public const string AlreadyReceived = "supply.already_received";
    public const string UnknownLot = "supply.unknown_lot";
    public const string AlreadyRecalled = "supply.already_recalled";
    public const string BadState = "supply.bad_state";
    public const string UnknownContainer = "supply.unknown_container";
}
