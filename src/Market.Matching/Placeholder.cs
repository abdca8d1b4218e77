namespace Market.Matching; public static class Placeholder {}
