namespace Market.Chain; public static class Placeholder {}
