namespace PolicyGen.Model;

public enum PolicyDirection
{
    Ingress,
    Egress,
}
